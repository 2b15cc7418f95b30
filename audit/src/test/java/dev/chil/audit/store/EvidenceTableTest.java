package dev.chil.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceTableTest {
  private static TestCluster cluster;

  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  private static EvidenceRecord record(String replica, int sequence) {
    return new EvidenceRecord(replica, "pbft.PrePrepare", 2, sequence, ByteString.copyFromUtf8("first"),
        ByteString.copyFromUtf8("sig-1"), ByteString.copyFromUtf8("second"), ByteString.copyFromUtf8("sig-2"),
        Instant.ofEpochMilli(1_700_000_000_000L + sequence));
  }

  @Test
  void evidenceIsKeptBesideTheChainAndReadBackInOrder() throws Exception {
    Path file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      assertThat(EvidenceTable.read(file)).isEmpty();
      log.append(cluster.slots(1, 2, 1));
      log.recordEvidence(List.of(record("node-2", 5), record("node-3", 6)));
      log.recordEvidence(List.of(record("node-2", 7)));
    }
    assertThat(EvidenceTable.read(file)).containsExactly(record("node-2", 5), record("node-3", 6), record("node-2", 7));
    // Outside every hash: the chain still verifies, and its head did not move.
    VerificationResult result = AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
    assertThat(result.exitCode()).as(result.message()).isZero();
  }

  @Test
  void aFileThatIsNoAuditLogIsRefused() throws Exception {
    Path file = directory.resolve("other.db");
    Files.writeString(file, "not sqlite");
    assertThatThrownBy(() -> EvidenceTable.read(file)).isInstanceOf(AuditStoreException.class);
  }
}
