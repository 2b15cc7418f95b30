package dev.chil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.proto.v1.PeerEnvelope;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnvelopeAuthenticatorTest {
  private static final ByteString PAYLOAD = ByteString.copyFromUtf8("prepare ballot 4.node-1");
  private static TestPki pki;
  private static EnvelopeAuthenticator node1;
  private static EnvelopeAuthenticator node2;

  @BeforeAll
  static void makePki() throws Exception {
    pki = new TestPki("node-1", "node-2", "node-3", "node-4");
    Set<String> roster = Set.of("node-1", "node-2", "node-3");
    node1 = new EnvelopeAuthenticator(pki.nodes.get("node-1").signer(), pki.verifier(), roster);
    node2 = new EnvelopeAuthenticator(pki.nodes.get("node-2").signer(), pki.verifier(), roster);
  }

  @Test
  void aSealedEnvelopeOpensAsItsSender() throws Exception {
    PeerEnvelope envelope = node1.seal("paxos.Prepare", PAYLOAD);

    assertThat(node2.open(identity("node-1"), envelope))
        .isEqualTo(new AuthenticatedMessage("node-1", "paxos.Prepare", PAYLOAD));
  }

  @Test
  void aSenderThatIsNotTheTlsIdentityIsRefused() {
    PeerEnvelope claimsNode1 = node1.seal("paxos.Prepare", PAYLOAD);

    assertRejected(identity("node-3"), claimsNode1, EnvelopeRejection.SENDER_MISMATCH,
        "envelope claims sender 'node-1' but arrived over the TLS identity spiffe://prod/node/node-3");
  }

  @Test
  void aNodeOutsideTheRosterOrAClientIsRefused() throws Exception {
    Credentials outsider = pki.nodes.get("node-4");
    PeerEnvelope envelope = new EnvelopeAuthenticator(outsider.signer(), pki.verifier(), Set.of("node-4"))
        .seal("paxos.Prepare", PAYLOAD);

    assertRejected(identity("node-4"), envelope, EnvelopeRejection.NOT_IN_ROSTER, "is not a member of the roster");
    assertRejected(Identity.client(TestPki.CLUSTER, "node-1"), node1.seal("paxos.Prepare", PAYLOAD),
        EnvelopeRejection.NOT_IN_ROSTER, "spiffe://prod/client/node-1 is not a member");
  }

  @Test
  void aTamperedPayloadOrARetypedMessageFailsTheSignature() {
    PeerEnvelope envelope = node1.seal("paxos.Prepare", PAYLOAD);

    assertRejected(identity("node-1"), envelope.toBuilder().setPayload(ByteString.copyFromUtf8("prepare ballot 9.node-1")).build(),
        EnvelopeRejection.BAD_SIGNATURE, "does not verify");
    assertRejected(identity("node-1"), envelope.toBuilder().setMessageType("paxos.Accept").build(),
        EnvelopeRejection.BAD_SIGNATURE, "does not verify");
    assertRejected(identity("node-1"), envelope.toBuilder().setMessageType("no spaces allowed").build(),
        EnvelopeRejection.MALFORMED, "message type 'no spaces allowed'");
  }

  private static Identity identity(String node) {
    return Identity.node(TestPki.CLUSTER, node);
  }

  private static void assertRejected(Identity tlsIdentity, PeerEnvelope envelope, EnvelopeRejection reason, String message) {
    assertThatThrownBy(() -> node2.open(tlsIdentity, envelope))
        .isInstanceOfSatisfying(EnvelopeRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
