package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier streams: a log far larger than the heap verifies in a 24 MiB one. Loading the
 * entries instead (200,000 rows, some 60 MB as stored and several times that as objects) would
 * throw OutOfMemoryError, so this test fails if the verifier stops streaming.
 */
class BoundedMemoryTest {
  /** 200,000 on every build; {@code -DargLine=-Dentries=1000000} for the million. */
  private static final int ENTRIES = Integer.getInteger("entries", 200_000);

  @TempDir Path directory;

  @Test
  void aLogLargerThanTheHeapVerifiesInBoundedMemory() throws Exception {
    TestCluster cluster = TestCluster.paxos(3);
    Path log = directory.resolve("audit.db");
    try (AuditLog audit = AuditLog.create(log, cluster.genesis, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      for (int slot = 1; slot <= ENTRIES / 500; slot += 2) { // two slots of 500 per transaction
        audit.append(List.of(cluster.decide(slot, TestCluster.commands(slot, 500)),
            cluster.decide(slot + 1, TestCluster.commands(slot + 1, 500))));
      }
    }
    assertThat(Files.size(log)).isGreaterThan(24L << 20);
    Path ca = directory.resolve("ca.crt");
    PemFiles.writeCertificate(ca, cluster.authority.certificate());

    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx24m", "-cp", System.getProperty("java.class.path"),
            VerifyingChild.class.getName(), log.toString(), ca.toString())
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("child.log").toFile())
        .start();
    try {
      assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the verifier finished").isTrue();
    } finally {
      child.destroyForcibly();
    }
    String output = "\n" + Files.readString(directory.resolve("child.log"));
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("\nOK: " + ENTRIES + " entries in " + (ENTRIES / 500) + " slots");
  }
}
