package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Unreadable;
import dev.chil.audit.verify.VerificationResult.Valid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input the verifier cannot read gives exit 2 and says why; input it can read is never changed. */
class UnreadableInputTest {
  private static TestCluster cluster;

  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  private VerificationResult verify(Path file) {
    return AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
  }

  private void assertUnreadable(Path file, String reason) {
    VerificationResult result = verify(file);
    assertThat(result).isInstanceOf(Unreadable.class);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.message()).startsWith("CANNOT READ: " + file).contains(reason);
  }

  @Test
  void aMissingFile() {
    assertUnreadable(directory.resolve("nothing.db"), "does not exist");
  }

  @Test
  void anEmptyFile() throws IOException {
    Path file = Files.createFile(directory.resolve("empty.db"));
    assertUnreadable(file, "is empty (0 bytes)");
  }

  @Test
  void aFileThatIsNotSqlite() throws IOException {
    byte[] noise = new byte[8192];
    new Random(3).nextBytes(noise);
    Path file = Files.write(directory.resolve("noise.db"), noise);
    assertUnreadable(file, "is not an SQLite database");
  }

  @Test
  void aTextFile() throws IOException {
    Path file = Files.writeString(directory.resolve("notes.txt"), "hello, I am not a database\n".repeat(100));
    assertUnreadable(file, "is not an SQLite database");
  }

  @Test
  void anSqliteFileWithoutAnAuditLog() throws Exception {
    Path file = directory.resolve("other.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE customers (id INTEGER)");
    }
    assertUnreadable(file, "is an SQLite database but not a chil audit log");
  }

  @Test
  void anotherSchemaVersion() throws Exception {
    Path file = writeLog();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 2");
    }
    assertUnreadable(file, "has audit log schema version 2; this program reads version 1");
  }

  @Test
  void aMissingTable() throws Exception {
    Path file = writeLog();
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DROP TABLE votes");
    }
    assertUnreadable(file, "is missing the audit log table(s) votes");
  }

  @Test
  void aTruncatedFile() throws Exception {
    Path file = writeLog();
    byte[] bytes = Files.readAllBytes(file);
    Path cut = Files.write(directory.resolve("cut.db"), java.util.Arrays.copyOf(bytes, 100));
    VerificationResult result = verify(cut);
    assertThat(result.exitCode()).as(result.message()).isEqualTo(2);
  }

  @Test
  void verifyingChangesNoByteOfTheDirectoryEvenWhileTheWriterIsOpen() throws Exception {
    Path file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      log.append(cluster.slots(1, 20, 3));
      Map<String, String> before = snapshot();
      assertThat(before).containsKey("audit.db-wal");
      assertThat(verify(file)).isInstanceOf(Valid.class);
      assertThat(snapshot()).isEqualTo(before);
    }
    Map<String, String> closed = snapshot();
    assertThat(verify(file)).isInstanceOf(Valid.class);
    assertThat(snapshot()).isEqualTo(closed);
  }

  private Path writeLog() throws Exception {
    Path file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      log.append(cluster.slots(1, 2, 2));
    }
    return file;
  }

  /** Every file in the directory and the SHA-256 of its bytes. */
  private Map<String, String> snapshot() throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.list(directory)) {
      for (Path path : paths.toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        files.put(path.getFileName().toString(), HexFormat.of().formatHex(digest));
      }
    }
    return files;
  }
}
