package dev.chil.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.InvalidCertificateException;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.chain.VerifiedSlot;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static TestCluster cluster;

  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  private AuditLog create() throws AuditStoreException {
    return AuditLog.create(directory.resolve("audit.db"), cluster.genesis, cluster.node("node-1").signer(),
        AuditLog.Options.defaults());
  }

  @Test
  void anEmptyLogsHeadIsTheGenesisHash() throws Exception {
    try (AuditLog log = create()) {
      assertThat(log.head()).isEqualTo(new Head(0, cluster.genesis.hash()));
      assertThat(log.nextSlot()).isEqualTo(cluster.genesis.firstSlot());
    }
  }

  @Test
  void appendedEntriesChainFromTheGenesisAndReadBack() throws Exception {
    try (AuditLog log = create()) {
      log.append(cluster.slots(1, 3, 2));
      List<Entry> entries = log.read(1, 100);
      assertThat(entries).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(entries).extracting(Entry::slot).containsExactly(1L, 1L, 2L, 2L, 3L, 3L);
      assertThat(entries.get(0).previousHash()).isEqualTo(cluster.genesis.hash());
      for (int i = 1; i < entries.size(); i++) {
        assertThat(entries.get(i).previousHash()).isEqualTo(entries.get(i - 1).hash());
      }
      Entry last = entries.get(5);
      assertThat(last.hash()).isEqualTo(ChainHash.entry(last.previousHash(), 6, 3, last.command()));
      assertThat(log.head()).isEqualTo(new Head(6, last.hash()));
      assertThat(log.nextSlot()).isEqualTo(4);
      assertThat(entries.get(2).command()).isEqualTo(TestCluster.commands(2, 2).get(0));
    }
  }

  @Test
  void correctNodesWriteByteIdenticalChains() throws Exception {
    List<DecidedSlot> slots = cluster.slots(1, 5, 3);
    Head[] heads = new Head[3];
    for (int node = 1; node <= 3; node++) {
      Path file = directory.resolve("node-" + node + ".db");
      try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-" + node).signer(),
          AuditLog.Options.defaults())) {
        // Different batching and different node-local facts must not change a single hash.
        for (DecidedSlot slot : slots) {
          log.append(new DecidedSlot(slot.commands(), slot.certificate(),
              slot.decidedAt().plusSeconds(node), ByteString.copyFromUtf8("learned by " + node)));
        }
        heads[node - 1] = log.head();
      }
    }
    assertThat(heads[1]).isEqualTo(heads[0]);
    assertThat(heads[2]).isEqualTo(heads[0]);
  }

  @Test
  void aSlotThatDoesNotFollowTheHeadIsRefusedAndChangesNothing() throws Exception {
    try (AuditLog log = create()) {
      log.append(cluster.slots(1, 2, 1));
      Head before = log.head();
      assertThatThrownBy(() -> log.append(cluster.decide(4, TestCluster.commands(4, 1))))
          .isInstanceOf(AppendRefusedException.class)
          .hasMessageContaining("slot 4 does not follow the head: the next slot is 3");
      assertThatThrownBy(() -> log.append(cluster.decide(2, TestCluster.commands(2, 1))))
          .isInstanceOf(AppendRefusedException.class);
      assertThat(log.head()).isEqualTo(before);
      assertThat(log.nextSlot()).isEqualTo(3);
    }
    assertThat(count("entries")).isEqualTo(2);
    assertThat(count("slots")).isEqualTo(2);
  }

  @Test
  void aBatchWithOneBadSlotWritesNoneOfIt() throws Exception {
    try (AuditLog log = create()) {
      List<DecidedSlot> batch = new java.util.ArrayList<>(cluster.slots(1, 3, 2));
      batch.add(cluster.decide(4, TestCluster.commands(4, 2), 1)); // one vote of three: no quorum
      assertThatThrownBy(() -> log.append(batch))
          .isInstanceOf(AppendRefusedException.class)
          .hasMessageContaining("slot 4 refused")
          .hasMessageContaining("paxos needs more than half");
      assertThat(log.head().index()).isZero();
      log.append(batch.subList(0, 3));
      assertThat(log.head().index()).isEqualTo(6);
    }
    assertThat(count("entries")).isEqualTo(6);
  }

  @Test
  void slotsVerifiedAheadAppendWithoutASecondCheck() throws Exception {
    try (AuditLog log = create()) {
      CertificateCheck check = CertificateCheck.forRoster(cluster.genesis);
      List<VerifiedSlot> verified = new java.util.ArrayList<>();
      for (DecidedSlot slot : cluster.slots(1, 3, 2)) {
        verified.add(check.verify(slot));
      }
      log.appendVerified(verified);
      assertThat(log.head().index()).isEqualTo(6);
      assertThatThrownBy(() -> check.verify(cluster.decide(4, TestCluster.commands(4, 1), 1)))
          .isInstanceOf(InvalidCertificateException.class);
    }
  }

  @Test
  void aSlotVerifiedAgainstAnotherRosterIsRefused() throws Exception {
    TestCluster other = TestCluster.paxos(3);
    VerifiedSlot foreign = CertificateCheck.forRoster(other.genesis).verify(other.decide(1, TestCluster.commands(1, 1)));
    try (AuditLog log = create()) {
      assertThatThrownBy(() -> log.appendVerified(List.of(foreign)))
          .isInstanceOf(AppendRefusedException.class)
          .hasMessageContaining("another roster");
      assertThat(log.head().index()).isZero();
    }
  }

  @Test
  void aCertificateForOtherCommandsIsRefused() throws Exception {
    try (AuditLog log = create()) {
      DecidedSlot decided = cluster.decide(1, TestCluster.commands(1, 2));
      DecidedSlot forged = new DecidedSlot(TestCluster.commands(99, 2), decided.certificate(),
          decided.decidedAt(), decided.learnedIn());
      assertThatThrownBy(() -> log.append(forged))
          .isInstanceOf(AppendRefusedException.class)
          .hasMessageContaining("do not hash to the digest its certificate signs");
    }
    assertThat(count("entries")).isZero();
  }

  @Test
  void aNoOpSlotStoresItsCertificateAndNoEntry() throws Exception {
    try (AuditLog log = create()) {
      log.append(List.of(cluster.decide(1, TestCluster.commands(1, 1)), cluster.decide(2, List.of()),
          cluster.decide(3, TestCluster.commands(3, 1))));
      assertThat(log.read(1, 10)).extracting(Entry::slot).containsExactly(1L, 3L);
      assertThat(log.certificate(2)).hasValueSatisfying(certificate ->
          assertThat(certificate.statement().digest()).isEqualTo(SlotDigest.of(List.of())));
      assertThat(log.certificate(9)).isEmpty();
    }
  }

  @Test
  void anEmptyValueIsStoredAsAnEmptyBlobAndVerifies() throws Exception {
    Command empty = new Command("flag", ByteString.EMPTY, "spiffe://prod/client/app", "request-empty");
    try (AuditLog log = create()) {
      log.append(cluster.decide(1, List.of(empty)));
      assertThat(log.read(1, 1).get(0).command()).isEqualTo(empty);
    }
    assertThat(AuditVerifier.verify(directory.resolve("audit.db"), cluster.authority.certificate(),
        AuditVerifier.Options.full())).isInstanceOf(VerificationResult.Valid.class);
  }

  @Test
  void reopeningContinuesFromTheStoredHead() throws Exception {
    Path file = directory.resolve("audit.db");
    Head head;
    try (AuditLog log = create()) {
      log.append(cluster.slots(1, 3, 2));
      head = log.head();
    }
    try (AuditLog log = AuditLog.open(file, cluster.node("node-1").signer(), AuditLog.Options.defaults())) {
      assertThat(log.head()).isEqualTo(head);
      assertThat(log.nextSlot()).isEqualTo(4);
      log.append(cluster.slots(4, 1, 1));
      assertThat(log.head().index()).isEqualTo(7);
    }
  }

  @Test
  void onlyTheOwnerOpensALog() throws Exception {
    create().close();
    assertThatThrownBy(() -> AuditLog.open(directory.resolve("audit.db"), cluster.node("node-2").signer(),
        AuditLog.Options.defaults()))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("belongs to node node-1, not node-2");
  }

  @Test
  void aLogHasOneWriterAtATime() throws Exception {
    try (AuditLog log = create()) {
      log.append(cluster.slots(1, 1, 1));
      // The open writer holds SQLite's write lock between appends: a second one gives up after
      // the busy timeout instead of interleaving appends.
      assertThatThrownBy(() -> AuditLog.open(directory.resolve("audit.db"), cluster.node("node-1").signer(),
          AuditLog.Options.defaults()))
          .isInstanceOf(AuditStoreException.class)
          .hasMessageContaining("locked");
      log.append(cluster.slots(2, 1, 1));
    }
  }

  @Test
  void aLogIsNotCreatedOverAnExistingFile() throws Exception {
    create().close();
    assertThatThrownBy(this::create).isInstanceOf(AuditStoreException.class).hasMessageContaining("exists already");
  }

  @Test
  void anotherSchemaVersionIsRefusedWithTheVersions() throws Exception {
    create().close();
    execute("PRAGMA user_version = 7");
    assertThatThrownBy(() -> AuditLog.open(directory.resolve("audit.db"), cluster.node("node-1").signer(),
        AuditLog.Options.defaults()))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("schema version 7; this program reads version 1");
  }

  @Test
  void theDatabaseIsWalWithFullSync() throws Exception {
    create().close();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("audit.db"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void theChainTablesRefuseUpdateAndDelete() throws Exception {
    try (AuditLog log = create()) {
      log.append(cluster.slots(1, 1, 1));
    }
    assertThatThrownBy(() -> execute("UPDATE entries SET key = 'x'")).hasMessageContaining("append-only");
    assertThatThrownBy(() -> execute("DELETE FROM votes")).hasMessageContaining("append-only");
  }

  @Test
  void headsAreSignedEveryIntervalAndOnClose() throws Exception {
    try (AuditLog log = AuditLog.create(directory.resolve("audit.db"), cluster.genesis,
        cluster.node("node-1").signer(), new AuditLog.Options(4))) {
      log.append(cluster.slots(1, 3, 1)); // head 3: no multiple of 4 crossed
      log.append(cluster.slots(4, 2, 1)); // head 5: crossed 4
      log.append(cluster.slots(6, 1, 1)); // head 6
    }
    assertThat(column("SELECT entry_index FROM signed_heads ORDER BY entry_index")).containsExactly(5L, 6L);
  }

  private long count(String table) throws Exception {
    return column("SELECT count(*) FROM " + table).get(0);
  }

  private List<Long> column(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("audit.db"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<Long> values = new java.util.ArrayList<>();
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
      return values;
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("audit.db"));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
