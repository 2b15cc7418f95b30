package dev.chil.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.node.codec.PaxosSamples;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosStorageState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaxosStateStoreTest {
  private static final long[] SEEDS = {1, 2, 3, 42, 20261124};

  @TempDir
  Path directory;

  @Test
  void aNewStoreIsEmptyAndInWalMode() throws SQLException {
    Path file = directory.resolve("state.db");
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      PaxosStorageState state = store.load();
      assertThat(state.promised()).isEqualTo(Ballot.ZERO);
      assertThat(state.accepted()).isEmpty();
      assertThat(state.delivered()).isEmpty();
    }
    assertThat(file).exists();
    assertThat(query(file, "PRAGMA journal_mode")).isEqualTo("wal");
  }

  @Test
  void reopeningGivesTheFoldOfEverythingPersisted() {
    for (long seed : SEEDS) {
      Path file = directory.resolve("state-" + seed + ".db");
      PaxosSamples samples = new PaxosSamples(seed);
      Random random = samples.random();
      PaxosStorageState expected = new PaxosStorageState();
      try (PaxosStateStore store = PaxosStateStore.open(file)) {
        long round = 1;
        long delivered = 0;
        for (int call = 0; call < 60; call++) {
          List<PaxosDurable> records = new ArrayList<>();
          for (int i = random.nextInt(6); i > 0; i--) {
            switch (random.nextInt(4)) {
              case 0 -> records.add(new PaxosDurable.Promised(new Ballot(round++, "n" + random.nextInt(3))));
              // Few slots, so later acceptances replace earlier ones.
              case 1 -> records.add(new PaxosDurable.AcceptedValue(samples.acceptedEntry(random.nextInt(8))));
              case 2 -> records.add(new PaxosDurable.AcceptedPrunedBelow(random.nextInt(8)));
              default -> records.add(new PaxosDurable.Delivered(samples.decision(delivered++)));
            }
          }
          store.persist(records);
          records.forEach(expected::apply);
        }
        assertSameFold(store.load(), expected);
      }
      try (PaxosStateStore reopened = PaxosStateStore.open(file)) {
        assertSameFold(reopened.load(), expected);
      }
    }
  }

  @Test
  void keepsOneRowForThePromiseAndOnePerAcceptedSlot() throws SQLException {
    Path file = directory.resolve("state.db");
    PaxosSamples samples = new PaxosSamples(5);
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      for (int round = 1; round <= 50; round++) {
        store.persist(List.of(
            new PaxosDurable.Promised(new Ballot(round, "n1")),
            new PaxosDurable.AcceptedValue(samples.acceptedEntry(round % 3))));
      }
      assertThat(store.load().promised()).isEqualTo(new Ballot(50, "n1"));
    }
    assertThat(query(file, "SELECT COUNT(*) FROM promise")).isEqualTo("1");
    assertThat(query(file, "SELECT COUNT(*) FROM accepted")).isEqualTo("3");
  }

  @Test
  void deletesTheAcceptedRowsTheCorePrunes() throws SQLException {
    Path file = directory.resolve("state.db");
    PaxosSamples samples = new PaxosSamples(6);
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      for (int slot = 0; slot < 400; slot++) {
        List<PaxosDurable> records = new ArrayList<>();
        records.add(new PaxosDurable.AcceptedValue(samples.acceptedEntry(slot)));
        if (slot >= 16) {
          records.add(new PaxosDurable.AcceptedPrunedBelow(slot - 15));
        }
        store.persist(records);
      }
      assertThat(store.load().accepted().keySet()).containsExactlyElementsOf(
          java.util.stream.LongStream.range(384, 400).boxed().toList());
    }
    assertThat(query(file, "SELECT COUNT(*) FROM accepted")).isEqualTo("16");
    assertThat(query(file, "SELECT MIN(slot) FROM accepted")).isEqualTo("384");
  }

  @Test
  void aCallThatFailsMidwayStoresNothingOfItself() throws SQLException {
    Path file = directory.resolve("state.db");
    PaxosSamples samples = new PaxosSamples(8);
    List<PaxosDurable> before = List.of(
        new PaxosDurable.Promised(new Ballot(1, "n1")),
        new PaxosDurable.AcceptedValue(samples.acceptedEntry(0)),
        new PaxosDurable.Delivered(samples.decision(0)));
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      store.persist(before);
    }
    // SQLite itself refuses the third record of the next call, after two were written.
    execute(file, "CREATE TRIGGER refuse_slot_666 BEFORE INSERT ON accepted WHEN NEW.slot = 666 "
        + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    List<PaxosDurable> failing = List.of(
        new PaxosDurable.Promised(new Ballot(2, "n2")),
        new PaxosDurable.AcceptedValue(samples.acceptedEntry(1)),
        new PaxosDurable.AcceptedValue(samples.acceptedEntry(666)),
        new PaxosDurable.Delivered(samples.decision(1)));
    PaxosDurable.AcceptedValue after = new PaxosDurable.AcceptedValue(samples.acceptedEntry(2));
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertThatThrownBy(() -> store.persist(failing))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("injected failure");
      // The next call commits; it must not carry any leftover of the failed one.
      store.persist(List.of(after));
    }
    PaxosStorageState expected = new PaxosStorageState();
    before.forEach(expected::apply);
    expected.apply(after);
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertSameFold(store.load(), expected);
    }
  }

  @Test
  void refusesARecordOfAnotherProtocolBeforeWritingAnything() {
    Path file = directory.resolve("state.db");
    Durable foreign = new Durable() {};
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertThatThrownBy(() -> store.persist(List.of(new PaxosDurable.Promised(new Ballot(3, "n1")), foreign)))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a Paxos record");
    }
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertThat(store.load().promised()).isEqualTo(Ballot.ZERO);
    }
  }

  @Test
  void refusesADeliveryOutOfSlotOrderBeforeWritingAnything() {
    Path file = directory.resolve("state.db");
    PaxosSamples samples = new PaxosSamples(4);
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      store.persist(List.of(new PaxosDurable.Delivered(samples.decision(0))));
      assertThatThrownBy(() -> store.persist(List.of(
              new PaxosDurable.Promised(new Ballot(3, "n1")), new PaxosDurable.Delivered(samples.decision(2)))))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessageContaining("delivered slot 2, expected 1");
      assertThatThrownBy(() -> store.persist(List.of(new PaxosDurable.Delivered(samples.decision(0)))))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessageContaining("delivered slot 0, expected 1");
      store.persist(List.of(new PaxosDurable.Delivered(samples.decision(1))));
    }
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertThat(store.load().promised()).isEqualTo(Ballot.ZERO);
      assertThat(store.load().delivered()).extracting(decision -> decision.slot()).containsExactly(0L, 1L);
      // The next expected slot survives a reopen.
      assertThatThrownBy(() -> store.persist(List.of(new PaxosDurable.Delivered(samples.decision(1)))))
          .isExactlyInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void refusesAnotherSchemaVersionNamingTheFile() throws SQLException {
    Path file = directory.resolve("state.db");
    PaxosStateStore.open(file).close();
    execute(file, "PRAGMA user_version = 7");
    assertThatThrownBy(() -> PaxosStateStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 7")
        .hasMessageContaining("only version " + PaxosStateStore.SCHEMA_VERSION);
  }

  @Test
  void refusesASqliteFileThatIsNotAStateStore() throws SQLException {
    Path file = directory.resolve("audit.db");
    execute(file, "CREATE TABLE entries (id INTEGER PRIMARY KEY)");
    assertThatThrownBy(() -> PaxosStateStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a state store");
    execute(file, "PRAGMA user_version = 1");
    assertThatThrownBy(() -> PaxosStateStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("application id");
  }

  @Test
  void refusesAFileThatIsNotSqliteNamingIt() throws Exception {
    Path file = directory.resolve("state.db");
    Files.writeString(file, "this is not a database, just text that is long enough to be a header");
    assertThatThrownBy(() -> PaxosStateStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void reportsAMissingDirectoryNamingTheFile() {
    Path file = directory.resolve("no-such-dir").resolve("state.db");
    assertThatThrownBy(() -> PaxosStateStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cannot open");
  }

  @Test
  void refusesAStoredRecordItCannotReadNamingTheFile() throws SQLException {
    Path file = directory.resolve("state.db");
    PaxosStateStore.open(file).close();
    execute(file, "INSERT INTO accepted (slot, entry) VALUES (4, x'ffffff')");
    try (PaxosStateStore store = PaxosStateStore.open(file)) {
      assertThatThrownBy(store::load)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("cannot read");
    }
  }

  private static void assertSameFold(PaxosStorageState actual, PaxosStorageState expected) {
    assertThat(actual.promised()).isEqualTo(expected.promised());
    assertThat(actual.accepted()).isEqualTo(expected.accepted());
    assertThat(actual.delivered()).isEqualTo(expected.delivered());
  }

  private static String query(Path file, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return result.getString(1);
    }
  }

  private static void execute(Path file, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
