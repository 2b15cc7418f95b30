package dev.chil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.node.core.common.ClientRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientKeysTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private CertificateAuthority authority;
  private Credentials alice;
  private Credentials node;
  private ClientKeys keys;

  @BeforeEach
  void setUp() throws Exception {
    authority = CertificateAuthority.create("test CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    alice = authority.issue(Identity.client("test", "alice"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
    node = authority.issue(Identity.node("test", "node-1"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
    keys = new ClientKeys(new ClusterTrust("test", authority.certificate()), Clock.fixed(NOW, ZoneOffset.UTC),
        TinkVerifier.forCertificates("test", List.of(node.certificate())));
  }

  private static ClientRequest request(Credentials client, String value) {
    Command command = new Command("claim", ByteString.copyFromUtf8(value), client.identity().spiffeId(), "r1");
    return new ClientRequest(command,
        ByteString.copyFrom(client.signer().sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())));
  }

  private static ByteString der(Credentials credentials) throws Exception {
    return ByteString.copyFrom(credentials.certificate().getEncoded());
  }

  @Test
  void aClientUnknownHereDoesNotVerifyUntilItsCertificateIsLearned() throws Exception {
    ClientRequest request = request(alice, "genuine");
    assertThat(request.problem("test", keys)).hasValueSatisfying(problem -> assertThat(problem).contains("no certificate"));
    keys.learn(alice.identity().spiffeId(), der(alice));
    assertThat(request.problem("test", keys)).isEmpty();
    assertThat(keys.certificateOf(alice.identity().spiffeId())).isEqualTo(der(alice));
    // An altered command does not verify under the client's key.
    ClientRequest altered = new ClientRequest(new Command("claim", ByteString.copyFromUtf8("forged"),
        alice.identity().spiffeId(), "r1"), request.signature());
    assertThat(altered.problem("test", keys)).isPresent();
  }

  @Test
  void nodeSignaturesGoToTheRostersVerifier() throws Exception {
    byte[] signature = node.signer().sign("pbft.Prepare", new byte[] {1});
    assertThatCode(() -> keys.verify(node.identity(), "pbft.Prepare", new byte[] {1}, signature)).doesNotThrowAnyException();
    assertThatThrownBy(() -> keys.verify(node.identity(), "pbft.Prepare", new byte[] {2}, signature))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void refusesACertificateOfAnotherIdentityRoleOrCA() throws Exception {
    assertThatThrownBy(() -> keys.learn("spiffe://test/client/bob", der(alice)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("came with a request of");
    assertThatThrownBy(() -> keys.learn("spiffe://test/node/node-1", der(node)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("came with a request of");
    CertificateAuthority other = CertificateAuthority.create("other CA", NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(30)));
    Credentials impostor = other.issue(Identity.client("test", "alice"), NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(10)));
    assertThatThrownBy(() -> keys.learn("spiffe://test/client/alice", der(impostor)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused");
    assertThatThrownBy(() -> keys.learn("spiffe://test/client/alice", ByteString.copyFromUtf8("garbage")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not parse");
    // The impostor's signature does not verify: nothing it tried was learned.
    assertThat(request(impostor, "x").problem("test", keys)).isPresent();
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Credentials expired = authority.issue(Identity.client("test", "carol"), NOW.minus(Duration.ofDays(3)),
        NOW.minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> keys.learn("spiffe://test/client/carol", der(expired)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
  }
}
