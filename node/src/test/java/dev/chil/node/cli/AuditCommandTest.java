package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final ByteString EPOCH = ByteString.copyFromUtf8("ballot-1");

  @TempDir Path directory;
  private final List<Credentials> nodes = new ArrayList<>();
  private SignedRoster genesis;
  private Path ca;

  @BeforeEach
  void makeCluster() throws Exception {
    CertificateAuthority authority = CertificateAuthority.create("cli test CA", NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(30)));
    List<RosterMember> roster = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Credentials node = authority.issue(Identity.node("prod", "node-" + i), NOW.minus(Duration.ofDays(1)),
          NOW.plus(Duration.ofDays(29)));
      nodes.add(node);
      roster.add(new RosterMember(node.identity().name(), node.certificate(), 1));
    }
    genesis = SignedRoster.sign(new Genesis("prod", Protocol.PAXOS, 1, roster), authority.issue(
        Identity.admin("prod", "root"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(29))));
    ca = directory.resolve("ca.crt");
    PemFiles.writeCertificate(ca, authority.certificate());
  }

  private DecidedSlot decide(long slot, String value) {
    List<Command> commands = List.of(new Command("key-" + slot, ByteString.copyFromUtf8(value),
        "spiffe://prod/client/app", "request-" + slot));
    VoteStatement statement = new VoteStatement(slot, EPOCH, SlotDigest.of(commands));
    List<Vote> votes = new ArrayList<>();
    for (Credentials node : nodes.subList(0, 2)) {
      votes.add(new Vote(node.identity().name(),
          ByteString.copyFrom(node.signer().sign(VoteStatement.MESSAGE_TYPE, statement.payload()))));
    }
    return new DecidedSlot(commands, new QuorumCertificate(statement, votes), NOW, EPOCH);
  }

  /** A log of node {@code owner} with one-command slots whose values are the given strings. */
  private Path log(int owner, String... values) throws Exception {
    Path file = directory.resolve("node-" + owner + ".db");
    try (AuditLog log = AuditLog.create(file, genesis, nodes.get(owner - 1).signer(), AuditLog.Options.defaults())) {
      for (int i = 0; i < values.length; i++) {
        log.append(decide(i + 1, values[i]));
      }
    }
    return file;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"audit", "audit verify", "audit compare", "audit export"})
  void everyAuditCommandHasHelp(String command) {
    CliRun run = CliRun.of((command + " --help").split(" "));
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: chil " + command + " ");
  }

  @Test
  void theAuditCommandsAreListedWithOneLineEach() {
    CliRun run = CliRun.of("audit", "--help");
    assertThat(run.out()).contains("verify    Verify an audit log against the cluster CA.\n",
        "compare   Find where several nodes' audit logs diverge.\n", "export    Write an audit log as JSON lines.\n",
        "evidence  List the equivocation evidence kept beside an audit log.\n");
  }

  @Test
  void evidenceListsWhatALogKeepsAndRefusesWhatIsNoLog() throws Exception {
    Path db = log(1, "a");
    CliRun run = CliRun.of("audit", "evidence", "--db", db.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("no evidence in");
    Path other = db.resolveSibling("not-a-log.db");
    java.nio.file.Files.writeString(other, "text");
    assertThat(CliRun.of("audit", "evidence", "--db", other.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void verifyPrintsOkAndExitsZero() throws Exception {
    Path db = log(1, "a", "b", "c");
    CliRun run = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("OK: 3 entries in 3 slots, head ");
  }

  @Test
  void verifyNamesTheFirstBadIndexAndExitsOne() throws Exception {
    Path db = log(1, "a", "b", "c");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TRIGGER entries_no_update");
      statement.execute("UPDATE entries SET value = X'00' WHERE entry_index = 2");
    }
    CliRun run = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("INVALID at index 2 (value_changed)");

    CliRun json = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out().strip()).startsWith("{\"result\":\"invalid\",\"index\":2,\"problem\":\"value_changed\"");
  }

  @Test
  void verifyOfSomethingThatIsNotALogExitsTwo() throws Exception {
    Path junk = Files.writeString(directory.resolve("junk.db"), "junk".repeat(1000));
    CliRun run = CliRun.of("audit", "verify", "--db", junk.toString(), "--ca", ca.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chil: CANNOT READ: " + junk + ": is not an SQLite database");

    Path empty = Files.createFile(directory.resolve("empty.db"));
    CliRun json = CliRun.of("audit", "verify", "--db", empty.toString(), "--ca", ca.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(2);
    assertThat(json.out()).contains("\"result\":\"unreadable\"", "is empty (0 bytes)");
  }

  @Test
  void verifyWithAMissingCaFileExitsTwo() throws Exception {
    Path db = log(1, "a");
    CliRun run = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", directory.resolve("nope.crt").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.crt", "does not exist");
  }

  @Test
  void verifyWithThePinnedGenesisExitsZeroAndWithAnotherExitsOne() throws Exception {
    Path db = log(1, "a", "b");
    String hash = java.util.HexFormat.of().formatHex(genesis.genesis().hash().toByteArray());
    CliRun pinned = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString(), "--genesis", hash);
    assertThat(pinned.exitCode()).as(pinned.err()).isZero();
    assertThat(pinned.out()).startsWith("OK: 2 entries").contains("genesis " + hash);

    String other = "00" + hash.substring(2).replace('0', '1');
    CliRun mismatch = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString(), "--genesis", other);
    assertThat(mismatch.exitCode()).isEqualTo(1);
    assertThat(mismatch.out()).startsWith("INVALID at index 0 (genesis_not_pinned)").contains("not the pinned " + other);

    CliRun upper = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString(), "--genesis",
        hash.toUpperCase(java.util.Locale.ROOT));
    assertThat(upper.exitCode()).as(upper.err()).isZero();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"xyz", "abcd", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefg", " 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void verifyWithAMalformedGenesisHashIsAUsageError(String hex) throws Exception {
    Path db = log(1, "a");
    CliRun run = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", ca.toString(), "--genesis", hex);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--genesis", "'" + hex + "' is not a SHA-256 hash: 64 hex digits",
        "Run 'chil audit verify --help' for usage.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void verifyRefusesACaFileOfTwoCertificatesOrOfALeaf() throws Exception {
    Path db = log(1, "a");
    Path two = directory.resolve("two.crt");
    Files.writeString(two, Files.readString(ca) + Files.readString(ca));
    CliRun twice = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", two.toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("two.crt", "holds 2 certificates; expected exactly one, the cluster CA");

    Path leaf = directory.resolve("leaf.crt");
    PemFiles.writeCertificate(leaf, nodes.get(0).certificate());
    CliRun notCa = CliRun.of("audit", "verify", "--db", db.toString(), "--ca", leaf.toString(), "--json");
    assertThat(notCa.exitCode()).isEqualTo(2);
    assertThat(notCa.out()).contains("\"result\":\"unreadable\"", "leaf.crt", "is not a CA certificate");
  }

  @Test
  void compareFindsAForkAndExitsOne() throws Exception {
    Path one = log(1, "a", "b", "c");
    Path two = log(2, "a", "b");
    CliRun behind = CliRun.of("audit", "compare", one.toString(), two.toString());
    assertThat(behind.exitCode()).as(behind.err()).isZero();
    assertThat(behind.out()).contains("common prefix: 2 entries", "no fork: node-2 behind by up to 1 entries");

    Path three = log(3, "a", "x", "c");
    CliRun fork = CliRun.of("audit", "compare", one.toString(), two.toString(), three.toString());
    assertThat(fork.exitCode()).isEqualTo(1);
    assertThat(fork.out()).contains("common prefix: 1 entries", "FORK at index 2:");
  }

  @Test
  void compareNeedsTwoLogs() throws Exception {
    CliRun run = CliRun.of("audit", "compare", log(1, "a").toString());
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void exportWritesJsonLinesOfTheRange() throws Exception {
    Path db = log(1, "a", "b", "c", "d");
    CliRun all = CliRun.of("audit", "export", "--db", db.toString());
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out().lines().filter(line -> line.contains("\"type\":\"entry\""))).hasSize(4);
    CliRun range = CliRun.of("audit", "export", "--db", db.toString(), "--from", "2", "--to", "3");
    assertThat(range.out().lines().filter(line -> line.contains("\"type\":\"entry\"")).toList())
        .hasSize(2).first().asString().contains("\"index\":2");
    assertThat(CliRun.of("audit", "export", "--db", db.toString(), "--from", "3", "--to", "2").exitCode())
        .isEqualTo(Main.EXIT_USAGE);
  }
}
