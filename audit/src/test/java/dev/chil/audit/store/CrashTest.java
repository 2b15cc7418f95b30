package dev.chil.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.audit.verify.VerificationResult.Valid;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A process appending in a loop, killed with SIGKILL, leaves a log that verifies and ends at a
 * whole slot: every append is one SQLite transaction, and WAL with synchronous=FULL keeps either
 * all of it or none.
 */
class CrashTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path directory;

  @ParameterizedTest(name = "killed after {1} entries (seed {0})")
  @CsvSource({"11, 300", "12, 2000"})
  void aLogKilledMidAppendVerifiesAndEndsAtAWholeSlot(long seed, long entriesBeforeKill) throws Exception {
    Path log = directory.resolve("audit.db");
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            AppendingChild.class.getName(), directory.toString(), Long.toString(seed))
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("child.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (entries(log) < entriesBeforeKill) {
        if (!child.isAlive()) {
          fail("the child exited with " + child.exitValue() + ": " + Files.readString(directory.resolve("child.log")));
        }
        if (System.nanoTime() > deadline) {
          fail("the child did not append " + entriesBeforeKill + " entries within " + DEADLINE);
        }
        child.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if the child dies
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no close, no final signed head
      child.waitFor();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

    VerificationResult result = AuditVerifier.verify(log,
        PemFiles.readCertificates(directory.resolve("ca.crt")).get(0), AuditVerifier.Options.full());
    assertThat(result).as(result.message()).isInstanceOf(Valid.class);
    long verified = ((Valid) result).entries();
    assertThat(verified).isGreaterThanOrEqualTo(entriesBeforeKill);
    assertThat(query(log, "SELECT coalesce(max(first_index + entry_count - 1), 0) FROM slots"))
        .as("the last slot's entries are all there").isEqualTo(verified);

    // And the node can carry on where it stopped.
    Credentials node1 = Credentials.load(directory.resolve("node-1.crt"), directory.resolve("node-1.key"));
    try (AuditLog reopened = AuditLog.open(log, node1.signer(), AuditLog.Options.defaults())) {
      assertThat(reopened.head()).isEqualTo(((Valid) result).head());
    }
  }

  private static long entries(Path log) throws Exception {
    if (!Files.exists(log)) {
      return 0;
    }
    try {
      return query(log, "SELECT count(*) FROM entries");
    } catch (java.sql.SQLException e) {
      return 0; // created but its tables are not committed yet
    }
  }

  private static long query(Path log, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:file:" + log + "?mode=ro");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

}
