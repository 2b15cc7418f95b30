package dev.chil.node.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.codec.PaxosMessageProtos;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosStorageState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * A Paxos replica's durable state, {@code data_dir/state.db}: SQLite in WAL mode with
 * {@code synchronous=FULL}, so a {@link #persist} that returned survives a crash or power loss.
 *
 * <p>Rows are the {@link PaxosDurable} records in their protobuf form, kept bounded where the fold
 * allows it: one promise row (only the latest promise counts), one accepted row per slot (a later
 * acceptance replaces the earlier), and accepted rows deleted as the core prunes them
 * ({@link PaxosDurable.AcceptedPrunedBelow}), so that table holds about two retention windows
 * however long the node runs. Delivered decisions are all kept, because the audit log and the
 * state machine are rebuilt from them for now; snapshots and truncation come later.
 *
 * <p>Owned by the driver thread; not thread-safe.
 */
public final class PaxosStateStore implements AutoCloseable {
  /** What this build writes and reads; any other version is refused, never migrated silently. */
  static final int SCHEMA_VERSION = 1;
  /** "CHPX": tells a state store from another SQLite file, e.g. the audit log. */
  static final int APPLICATION_ID = 0x43485058;

  private static final String[] SCHEMA = {
    "CREATE TABLE promise (id INTEGER PRIMARY KEY CHECK (id = 1), ballot BLOB NOT NULL) STRICT",
    "CREATE TABLE accepted (slot INTEGER PRIMARY KEY CHECK (slot >= 0), entry BLOB NOT NULL) STRICT",
    "CREATE TABLE delivered (slot INTEGER PRIMARY KEY CHECK (slot >= 0), decision BLOB NOT NULL) STRICT",
    "PRAGMA application_id = " + APPLICATION_ID,
    "PRAGMA user_version = " + SCHEMA_VERSION,
  };

  private final Path file;
  private final Connection connection;
  private final PreparedStatement putPromise;
  private final PreparedStatement putAccepted;
  private final PreparedStatement pruneAccepted;
  private final PreparedStatement addDelivered;
  /** The slot the next Delivered record must have: delivery is in slot order, without gaps. */
  private long nextDeliveredSlot;
  /** Set when a failed persist could not be rolled back: its writes may linger uncommitted. */
  private StorageException broken;

  private PaxosStateStore(Path file, Connection connection) throws SQLException {
    this.file = file;
    this.connection = connection;
    this.putPromise = connection.prepareStatement("INSERT OR REPLACE INTO promise (id, ballot) VALUES (1, ?)");
    this.putAccepted = connection.prepareStatement("INSERT OR REPLACE INTO accepted (slot, entry) VALUES (?, ?)");
    this.pruneAccepted = connection.prepareStatement("DELETE FROM accepted WHERE slot < ?");
    this.addDelivered = connection.prepareStatement("INSERT INTO delivered (slot, decision) VALUES (?, ?)");
    try (Statement statement = connection.createStatement();
        ResultSet next = statement.executeQuery("SELECT COALESCE(MAX(slot) + 1, 0) FROM delivered")) {
      this.nextDeliveredSlot = next.getLong(1);
    }
    connection.commit();
  }

  /** Opens the store, creating an empty one if the file does not exist. */
  public static PaxosStateStore open(Path file) {
    Objects.requireNonNull(file, "file");
    Connection connection = null;
    try {
      connection = StateFiles.open(file, APPLICATION_ID, SCHEMA_VERSION, SCHEMA);
      return new PaxosStateStore(file, connection);
    } catch (SQLException e) {
      StateFiles.closeQuietly(connection);
      throw new StorageException(file, "cannot open the state store", e);
    } catch (RuntimeException e) {
      StateFiles.closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Rebuilds the replica's storage state by applying every stored record to a fresh
   * {@link PaxosStorageState}, so what a restart sees is decided by the core's own fold.
   */
  public PaxosStorageState load() {
    requireUsable();
    PaxosStorageState state = new PaxosStorageState();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet promise = statement.executeQuery("SELECT ballot FROM promise")) {
        while (promise.next()) {
          state.apply(new PaxosDurable.Promised(
              PaxosMessageProtos.fromProto(dev.chil.proto.v1.Ballot.parseFrom(promise.getBytes(1)))));
        }
      }
      try (ResultSet accepted = statement.executeQuery("SELECT slot, entry FROM accepted ORDER BY slot")) {
        while (accepted.next()) {
          var entry = PaxosMessageProtos.fromProto(dev.chil.proto.v1.AcceptedEntry.parseFrom(accepted.getBytes(2)));
          requireSameSlot(accepted.getLong(1), entry.slot(), "accepted");
          state.apply(new PaxosDurable.AcceptedValue(entry));
        }
      }
      try (ResultSet delivered = statement.executeQuery("SELECT slot, decision FROM delivered ORDER BY slot")) {
        while (delivered.next()) {
          var decision = CommonCodec.fromProto(dev.chil.proto.v1.Decision.parseFrom(delivered.getBytes(2)));
          requireSameSlot(delivered.getLong(1), decision.slot(), "delivered");
          // The fold refuses a gap with IllegalStateException: a store missing a delivered slot.
          state.apply(new PaxosDurable.Delivered(decision));
        }
      }
      connection.commit();
      return state;
    } catch (SQLException e) {
      throw new StorageException(file, "cannot read the state store", e);
    } catch (InvalidProtocolBufferException | IllegalArgumentException | IllegalStateException e) {
      throw new StorageException(file, "the state store holds a record this build cannot read", e);
    }
  }

  /**
   * Writes the records in order in one transaction with one fsync (group commit): after a crash
   * either all of them are on disk or none is.
   *
   * @throws IllegalArgumentException for a record that is not a {@link PaxosDurable}, before anything is written
   * @throws IllegalStateException for a delivery out of slot order, before anything is written
   * @throws StorageException when SQLite fails; nothing of this call is stored
   */
  public void persist(List<? extends Durable> records) {
    requireUsable();
    long nextDelivered = checkRecords(records);
    if (records.isEmpty()) {
      return;
    }
    try {
      for (Durable record : records) {
        write((PaxosDurable) record);
      }
      connection.commit();
    } catch (SQLException e) {
      StorageException failure = new StorageException(file, "cannot persist " + records.size() + " records", e);
      rollbackAfter(failure);
      throw failure;
    } catch (RuntimeException e) {
      rollbackAfter(e);
      throw e;
    }
    nextDeliveredSlot = nextDelivered;
  }

  /** @return the next delivered slot once all records are stored */
  private long checkRecords(List<? extends Durable> records) {
    long nextDelivered = nextDeliveredSlot;
    for (Durable record : records) {
      if (!(record instanceof PaxosDurable)) {
        throw new IllegalArgumentException("not a Paxos record: "
            + (record == null ? "null" : record.getClass().getName()));
      }
      if (record instanceof PaxosDurable.Delivered delivered) {
        if (delivered.decision().slot() != nextDelivered) {
          throw new IllegalStateException("delivered slot " + delivered.decision().slot() + ", expected "
              + nextDelivered);
        }
        nextDelivered++;
      }
    }
    return nextDelivered;
  }

  private void write(PaxosDurable record) throws SQLException {
    if (record instanceof PaxosDurable.Promised promised) {
      putPromise.setBytes(1, PaxosMessageProtos.toProto(promised.ballot()).toByteArray());
      putPromise.executeUpdate();
    } else if (record instanceof PaxosDurable.AcceptedValue value) {
      putAccepted.setLong(1, value.entry().slot());
      putAccepted.setBytes(2, PaxosMessageProtos.toProto(value.entry()).toByteArray());
      putAccepted.executeUpdate();
    } else if (record instanceof PaxosDurable.AcceptedPrunedBelow pruned) {
      pruneAccepted.setLong(1, pruned.slot());
      pruneAccepted.executeUpdate();
    } else if (record instanceof PaxosDurable.Delivered delivered) {
      addDelivered.setLong(1, delivered.decision().slot());
      addDelivered.setBytes(2, CommonCodec.toProto(delivered.decision()).toByteArray());
      addDelivered.executeUpdate();
    } else {
      throw new AssertionError("unknown durable record " + record);
    }
  }

  /** Undoes the failed call's writes, so that the next commit cannot carry half of them. */
  private void rollbackAfter(Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
      broken = new StorageException(file, "a failed persist could not be rolled back; reopen the store", e);
    }
  }

  private void requireUsable() {
    if (broken != null) {
      throw broken;
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      putPromise.close();
      putAccepted.close();
      pruneAccepted.close();
      addDelivered.close();
      connection.close();
    } catch (SQLException e) {
      throw new StorageException(file, "cannot close the state store", e);
    }
  }

  private static void requireSameSlot(long row, long record, String table) {
    if (row != record) {
      throw new IllegalStateException(table + " row of slot " + row + " holds slot " + record);
    }
  }
}
