package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever is done to the file, the verifier answers with a result that names the problem, and
 * never throws: random bytes flipped in the SQLite file, and random values (of any SQLite type)
 * written into the chain's columns. Seeded, so a failure replays; for a longer run:
 * {@code mvn verify -pl audit -am -Dtest='MalformedInputTest' -DargLine="-Drounds=2000 -Dseed=7"}.
 */
class MalformedInputTest {
  private static final long SEED = 20261124L;
  private static final List<String> COLUMNS = List.of(
      "genesis.cluster", "genesis.protocol", "genesis.quorum_rule", "genesis.first_slot", "genesis.hash",
      "roster.weight", "roster.certificate_pem", "roster.node",
      "entries.entry_index", "entries.slot", "entries.key", "entries.value", "entries.value_digest",
      "entries.client", "entries.request_id", "entries.previous_hash", "entries.hash",
      "slots.slot", "slots.first_index", "slots.entry_count", "slots.epoch", "slots.digest",
      "votes.signer", "votes.signature", "signed_heads.entry_index", "signed_heads.hash",
      "signed_heads.signer", "signed_heads.signature");
  private static final List<String> VALUES = List.of(
      "NULL", "0", "-1", "9223372036854775807", "''", "'node-1'", "X''", "X'00'", "zeroblob(32)",
      "randomblob(32)", "1.5", "'paxos'", "'pbft'", "'2f+1-of-3f+1'", "'-----BEGIN CERTIFICATE-----'");

  private static TestCluster cluster;
  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  private Path writeLog() throws Exception {
    Path file = directory.resolve("original.db");
    try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-1").signer(),
        new AuditLog.Options(3))) {
      log.append(List.of(cluster.decide(1, TestCluster.commands(1, 2)), cluster.decide(2, List.of()),
          cluster.decide(3, TestCluster.commands(3, 3))));
      log.append(cluster.decide(4, TestCluster.commands(4, 1)));
    }
    return file;
  }

  private VerificationResult verify(Path file) {
    return AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
  }

  @Test
  void everyRandomValueInTheChainsColumnsIsFoundAndNamed() throws Exception {
    Path original = writeLog();
    Random random = new Random(Long.getLong("seed", SEED));
    int changed = 0;
    for (int round = 0; round < Integer.getInteger("rounds", 150); round++) {
      Path copy = Files.copy(original, directory.resolve("copy.db"), StandardCopyOption.REPLACE_EXISTING);
      String[] column = COLUMNS.get(random.nextInt(COLUMNS.size())).split("\\.");
      String value = VALUES.get(random.nextInt(VALUES.size()));
      // votes is WITHOUT ROWID: pick its rows by key.
      String row = column[0].equals("votes")
          ? "slot = " + (1 + random.nextInt(4)) + " AND position = " + random.nextInt(2)
          : "rowid = (SELECT rowid FROM " + column[0] + " ORDER BY rowid LIMIT 1 OFFSET " + random.nextInt(3) + ")";
      String sql = "UPDATE " + column[0] + " SET " + column[1] + " = " + value + " WHERE " + row;
      try (Tamper tamper = new Tamper(copy)) {
        String before = tamper.text("SELECT quote(" + column[1] + ") FROM " + column[0] + " WHERE " + row);
        tamper.sql(sql);
        String after = tamper.text("SELECT quote(" + column[1] + ") FROM " + column[0] + " WHERE " + row);
        if (before == null || before.equals(after)) {
          continue; // no such row, or the same value: nothing changed
        }
      } catch (java.sql.SQLException e) {
        continue; // a constraint refused the value: nothing changed
      }
      changed++;
      VerificationResult result = verify(copy);
      assertThat(result).as("round %d: %s", round, sql).isInstanceOf(VerificationResult.Invalid.class);
      assertThat(result.message()).isNotBlank();
    }
    assertThat(changed).isGreaterThan(75);
  }

  @Test
  void randomBytesFlippedInTheFileAreNamedNeverThrown() throws Exception {
    Path original = writeLog();
    byte[] bytes = Files.readAllBytes(original);
    Random random = new Random(SEED + 1);
    int valid = 0;
    for (int round = 0; round < 150; round++) {
      byte[] corrupt = bytes.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 << random.nextInt(8));
      }
      Path copy = Files.write(directory.resolve("copy.db"), corrupt);
      VerificationResult result = verify(copy);
      assertThat(result.message()).as("round %d", round).isNotBlank();
      if (result instanceof VerificationResult.Valid) {
        valid++; // a flip in free space or an unused header byte changes nothing that matters
      }
    }
    assertThat(valid).isLessThan(150);
  }
}
