package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Invalid;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates checked on several threads, more slots than the window: still the first bad slot. */
class CertificatePipelineTest {
  private static final int SLOTS = CertificatePipeline.WINDOW_SLOTS * 2 + 50;
  private static TestCluster cluster;

  @TempDir static Path directory;
  private static Path file;

  @BeforeAll
  static void writeLog() throws Exception {
    cluster = TestCluster.paxos(3);
    file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      log.append(cluster.slots(1, SLOTS, 1)); // slot s holds entry s
    }
  }

  private Invalid verifyWithout(int threads, long... slotsWithoutVotes) throws Exception {
    Path copy = directory.resolve("copy-" + threads + "-" + slotsWithoutVotes.length + ".db");
    java.nio.file.Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Tamper tamper = new Tamper(copy)) {
      for (long slot : slotsWithoutVotes) {
        tamper.sql("DELETE FROM votes WHERE slot = " + slot);
      }
    }
    VerificationResult result = AuditVerifier.verify(copy, cluster.authority.certificate(),
        new AuditVerifier.Options(true, threads));
    assertThat(result).isInstanceOf(Invalid.class);
    return (Invalid) result;
  }

  @Test
  void anIntactLogVerifiesOnManyThreads() {
    assertThat(AuditVerifier.verify(file, cluster.authority.certificate(), new AuditVerifier.Options(true, 3)))
        .isInstanceOfSatisfying(VerificationResult.Valid.class, valid -> assertThat(valid.slots()).isEqualTo(SLOTS));
  }

  @Test
  void theEarliestOfSeveralBadSlotsIsNamed() throws Exception {
    for (int threads : List.of(1, 3)) {
      assertThat(verifyWithout(threads, 10, 300, SLOTS - 1).index()).isEqualTo(10);
      assertThat(verifyWithout(threads, SLOTS - 1, 300).index()).isEqualTo(300);
    }
  }

  @Test
  void aBadSlotAfterTheWindowIsFound() throws Exception {
    Invalid invalid = verifyWithout(3, SLOTS);
    assertThat(invalid.index()).isEqualTo(SLOTS);
    assertThat(invalid.problem()).isEqualTo(Problem.QUORUM_NOT_REACHED);
  }
}
