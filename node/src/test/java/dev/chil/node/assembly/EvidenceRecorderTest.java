package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.EvidenceRecord;
import dev.chil.audit.store.EvidenceTable;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.core.pbft.PbftMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceRecorderTest {
  @TempDir Path directory;

  @Test
  void evidenceIsStoredBesideTheChainCountedAndCheckableWithTheRostersCertificate() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority authority = CertificateAuthority.create("test CA", now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(30)));
    List<RosterMember> members = new ArrayList<>();
    List<Credentials> nodes = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Credentials node = authority.issue(Identity.node("test", "node-" + i), now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(10)));
      nodes.add(node);
      members.add(new RosterMember("node-" + i, node.certificate(), 1));
    }
    Credentials admin = authority.issue(Identity.admin("test", "root"), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(10)));
    Path file = directory.resolve("audit.db");
    Credentials alice = authority.issue(Identity.client("test", "alice"), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(10)));
    // node-2 signs two different PrePrepares for view 1, sequence 7: equivocation.
    PbftMessage.PrePrepare first = PbftMessage.PrePrepare.signed(nodes.get(1).signer(), 1, 7, List.of(request(alice, "a")));
    PbftMessage.PrePrepare second = PbftMessage.PrePrepare.signed(nodes.get(1).signer(), 1, 7, List.of(request(alice, "b")));
    Evidence evidence = new Evidence("node-2", PbftMessage.PRE_PREPARE, 1, 7, ByteString.copyFrom(first.payload()),
        first.signature(), ByteString.copyFrom(second.payload()), second.signature());

    try (AuditLog audit = AuditLog.create(file, SignedRoster.sign(new Genesis("test", Protocol.PBFT, 0, members), admin),
        nodes.get(0).signer(), AuditLog.Options.defaults())) {
      EvidenceRecorder recorder = new EvidenceRecorder(audit, Clock.systemUTC());
      recorder.record(List.of(evidence));
      assertThat(recorder.recorded()).isEqualTo(1);
      assertThat(audit.head().index()).isZero(); // nothing entered the chain
    }

    List<EvidenceRecord> stored = EvidenceTable.read(file);
    assertThat(stored).singleElement().satisfies(record -> {
      assertThat(record.replica()).isEqualTo("node-2");
      assertThat(record.view()).isEqualTo(1);
      assertThat(record.sequence()).isEqualTo(7);
      assertThat(record.firstPayload()).isNotEqualTo(record.secondPayload());
    });
    // Anyone with the roster's certificate of node-2 can check both signatures.
    TinkVerifier verifier = TinkVerifier.forCertificates("test", List.of(members.get(1).certificate()));
    EvidenceRecord record = stored.get(0);
    assertThatCode(() -> {
      verifier.verify(Identity.node("test", "node-2"), record.messageType(), record.firstPayload().toByteArray(),
          record.firstSignature().toByteArray());
      verifier.verify(Identity.node("test", "node-2"), record.messageType(), record.secondPayload().toByteArray(),
          record.secondSignature().toByteArray());
    }).doesNotThrowAnyException();
  }

  private static ClientRequest request(Credentials client, String value) {
    Command command = new Command("claim", ByteString.copyFromUtf8(value), client.identity().spiffeId(), "r-" + value);
    return new ClientRequest(command,
        ByteString.copyFrom(client.signer().sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())));
  }
}
