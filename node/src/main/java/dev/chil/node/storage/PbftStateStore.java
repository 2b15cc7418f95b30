package dev.chil.node.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.codec.ClientCertificates;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.codec.PbftMessageProtos;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.pbft.CheckpointProof;
import dev.chil.node.core.pbft.PbftDurable;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.node.core.pbft.PbftStorageState;
import dev.chil.proto.v1.PbftCheckpointProof;
import dev.chil.proto.v1.PbftNewView;
import dev.chil.proto.v1.PbftPrePrepare;
import dev.chil.proto.v1.PbftPreparedCertificate;
import dev.chil.proto.v1.PbftViewChange;
import dev.chil.proto.v1.PbftViewEntered;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * A PBFT replica's durable state, {@code data_dir/state.db}: SQLite in WAL mode with
 * {@code synchronous=FULL}, so a {@link #persist} that returned survives a crash or power loss.
 *
 * <p>Rows are the {@link PbftDurable} records in their protobuf form, kept as the core's fold
 * ({@link PbftStorageState}) keeps them: one view row (the view, and the ViewChange sent for it or
 * the NewView that entered it), per sequence the PrePrepare and the prepared certificate of the
 * highest view, one stable checkpoint row; PrePrepares and prepared certificates below the stable
 * checkpoint are deleted when it moves, as the core forgets them. Executed decisions are all kept,
 * because the core's execution state, the audit log and the state machine are rebuilt from them
 * (as the Paxos store keeps its delivered slots); snapshots and truncation come later.
 *
 * <p>A client request travels with its client's certificate, and so is it stored, so that a
 * restarted replica can show it to peers again. Owned by the driver thread; not thread-safe.
 */
public final class PbftStateStore implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  /** "CHPB": tells a PBFT state store from a Paxos one and from any other SQLite file. */
  static final int APPLICATION_ID = 0x43485042;

  private static final String[] SCHEMA = {
    "CREATE TABLE view (id INTEGER PRIMARY KEY CHECK (id = 1), view INTEGER NOT NULL CHECK (view >= 0),"
        + " view_change BLOB, new_view BLOB) STRICT",
    "CREATE TABLE pre_prepared (sequence INTEGER PRIMARY KEY CHECK (sequence >= 0),"
        + " view INTEGER NOT NULL CHECK (view >= 0), message BLOB NOT NULL) STRICT",
    "CREATE TABLE prepared (sequence INTEGER PRIMARY KEY CHECK (sequence >= 0),"
        + " view INTEGER NOT NULL CHECK (view >= 0), certificate BLOB NOT NULL) STRICT",
    "CREATE TABLE stable (id INTEGER PRIMARY KEY CHECK (id = 1), sequence INTEGER NOT NULL CHECK (sequence >= 0),"
        + " proof BLOB NOT NULL) STRICT",
    "CREATE TABLE executed (sequence INTEGER PRIMARY KEY CHECK (sequence >= 0), decision BLOB NOT NULL) STRICT",
    "PRAGMA application_id = " + APPLICATION_ID,
    "PRAGMA user_version = " + SCHEMA_VERSION,
  };

  private final Path file;
  private final Connection connection;
  private final PbftMessageProtos protos;
  private final PreparedStatement putView;
  private final PreparedStatement putPrePrepared;
  private final PreparedStatement putPrepared;
  private final PreparedStatement putStable;
  private final PreparedStatement prunePrePrepared;
  private final PreparedStatement prunePrepared;
  private final PreparedStatement addExecuted;
  /** The sequence the next Executed record must have: execution is in order, without gaps. */
  private long nextExecuted;
  /** Set when a failed persist could not be rolled back: its writes may linger uncommitted. */
  private StorageException broken;

  private PbftStateStore(Path file, Connection connection, ClientCertificates certificates) throws SQLException {
    this.file = file;
    this.connection = connection;
    this.protos = new PbftMessageProtos(certificates);
    this.putView = connection.prepareStatement(
        "INSERT OR REPLACE INTO view (id, view, view_change, new_view) VALUES (1, ?, ?, ?)");
    // A later record of a lower view never replaces a higher one: the fold keeps the highest.
    this.putPrePrepared = connection.prepareStatement("INSERT INTO pre_prepared (sequence, view, message)"
        + " VALUES (?, ?, ?) ON CONFLICT (sequence) DO UPDATE SET view = excluded.view, message = excluded.message"
        + " WHERE excluded.view >= pre_prepared.view");
    this.putPrepared = connection.prepareStatement("INSERT INTO prepared (sequence, view, certificate)"
        + " VALUES (?, ?, ?) ON CONFLICT (sequence) DO UPDATE SET view = excluded.view,"
        + " certificate = excluded.certificate WHERE excluded.view >= prepared.view");
    this.putStable = connection.prepareStatement("INSERT INTO stable (id, sequence, proof) VALUES (1, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, proof = excluded.proof"
        + " WHERE excluded.sequence > stable.sequence");
    this.prunePrePrepared = connection.prepareStatement(
        "DELETE FROM pre_prepared WHERE sequence < (SELECT sequence FROM stable)");
    this.prunePrepared = connection.prepareStatement(
        "DELETE FROM prepared WHERE sequence < (SELECT sequence FROM stable)");
    this.addExecuted = connection.prepareStatement("INSERT INTO executed (sequence, decision) VALUES (?, ?)");
    try (Statement statement = connection.createStatement();
        ResultSet next = statement.executeQuery("SELECT COALESCE(MAX(sequence) + 1, 0) FROM executed")) {
      this.nextExecuted = next.getLong(1);
    }
    connection.commit();
  }

  /**
   * Opens the store, creating an empty one if the file does not exist.
   *
   * @param certificates checks and remembers the client certificates stored with requests
   */
  public static PbftStateStore open(Path file, ClientCertificates certificates) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(certificates, "certificates");
    Connection connection = null;
    try {
      connection = StateFiles.open(file, APPLICATION_ID, SCHEMA_VERSION, SCHEMA);
      return new PbftStateStore(file, connection, certificates);
    } catch (SQLException e) {
      StateFiles.closeQuietly(connection);
      throw new StorageException(file, "cannot open the state store", e);
    } catch (RuntimeException e) {
      StateFiles.closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Rebuilds the replica's storage state by applying the stored records to a fresh
   * {@link PbftStorageState}, so what a restart sees is decided by the core's own fold.
   */
  public PbftStorageState load() {
    requireUsable();
    PbftStorageState state = new PbftStorageState();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet stable = statement.executeQuery("SELECT sequence, proof FROM stable")) {
        while (stable.next()) {
          CheckpointProof proof = PbftMessageProtos.fromProto(PbftCheckpointProof.parseFrom(stable.getBytes(2)));
          requireSame(stable.getLong(1), proof.sequence(), "stable checkpoint");
          state.apply(new PbftDurable.StableCheckpoint(proof));
        }
      }
      try (ResultSet view = statement.executeQuery("SELECT view, view_change, new_view FROM view")) {
        while (view.next()) {
          state.apply(viewRecord(view.getLong(1), view.getBytes(2), view.getBytes(3)));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT sequence, view, message FROM pre_prepared ORDER BY sequence")) {
        while (rows.next()) {
          PbftMessage.PrePrepare prePrepare = protos.fromProto(PbftPrePrepare.parseFrom(rows.getBytes(3)));
          requireSame(rows.getLong(1), prePrepare.sequence(), "pre-prepared sequence");
          requireSame(rows.getLong(2), prePrepare.view(), "pre-prepared view");
          state.apply(new PbftDurable.PrePrepared(prePrepare));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT sequence, view, certificate FROM prepared ORDER BY sequence")) {
        while (rows.next()) {
          PbftMessage.PreparedCertificate certificate =
              protos.fromProto(PbftPreparedCertificate.parseFrom(rows.getBytes(3)));
          requireSame(rows.getLong(1), certificate.sequence(), "prepared sequence");
          requireSame(rows.getLong(2), certificate.view(), "prepared view");
          state.apply(new PbftDurable.Prepared(certificate));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT sequence, decision FROM executed ORDER BY sequence")) {
        while (rows.next()) {
          var decision = CommonCodec.fromProto(dev.chil.proto.v1.Decision.parseFrom(rows.getBytes(2)));
          requireSame(rows.getLong(1), decision.slot(), "executed sequence");
          // The fold refuses a gap with IllegalStateException: a store missing an executed sequence.
          state.apply(new PbftDurable.Executed(decision));
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

  private PbftDurable viewRecord(long view, byte[] viewChange, byte[] newView) throws InvalidProtocolBufferException {
    if (viewChange != null) {
      PbftMessage.ViewChange sent = protos.fromProto(PbftViewChange.parseFrom(viewChange));
      requireSame(view, sent.newView(), "view change's view");
      return new PbftDurable.ViewChangeSent(sent);
    }
    PbftViewEntered entered = PbftViewEntered.parseFrom(newView == null ? new byte[0] : newView);
    PbftMessage.NewView next = entered.hasNewView() ? protos.fromProto(entered.getNewView()) : null;
    requireSame(view, entered.getView(), "entered view");
    return new PbftDurable.ViewEntered(view, next);
  }

  /**
   * Writes the records in order in one transaction with one fsync (group commit): after a crash
   * either all of them are on disk or none is.
   *
   * @throws IllegalArgumentException for a record that is not a {@link PbftDurable}, before anything is written
   * @throws IllegalStateException for an execution out of sequence order, before anything is written
   * @throws StorageException when SQLite fails; nothing of this call is stored
   */
  public void persist(List<? extends Durable> records) {
    requireUsable();
    long next = checkRecords(records);
    if (records.isEmpty()) {
      return;
    }
    try {
      for (Durable record : records) {
        write((PbftDurable) record);
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
    nextExecuted = next;
  }

  private long checkRecords(List<? extends Durable> records) {
    long next = nextExecuted;
    for (Durable record : records) {
      if (!(record instanceof PbftDurable)) {
        throw new IllegalArgumentException("not a PBFT record: " + (record == null ? "null" : record.getClass().getName()));
      }
      if (record instanceof PbftDurable.Executed executed) {
        if (executed.decision().slot() != next) {
          throw new IllegalStateException("executed sequence " + executed.decision().slot() + ", expected " + next);
        }
        next++;
      }
    }
    return next;
  }

  private void write(PbftDurable record) throws SQLException {
    if (record instanceof PbftDurable.PrePrepared accepted) {
      PbftMessage.PrePrepare prePrepare = accepted.prePrepare();
      putPrePrepared.setLong(1, prePrepare.sequence());
      putPrePrepared.setLong(2, prePrepare.view());
      putPrePrepared.setBytes(3, protos.toProto(prePrepare).toByteArray());
      putPrePrepared.executeUpdate();
    } else if (record instanceof PbftDurable.Prepared prepared) {
      PbftMessage.PreparedCertificate certificate = prepared.certificate();
      putPrepared.setLong(1, certificate.sequence());
      putPrepared.setLong(2, certificate.view());
      putPrepared.setBytes(3, protos.toProto(certificate).toByteArray());
      putPrepared.executeUpdate();
    } else if (record instanceof PbftDurable.ViewChangeSent sent) {
      putView.setLong(1, sent.viewChange().newView());
      putView.setBytes(2, protos.toProto(sent.viewChange()).toByteArray());
      putView.setBytes(3, null);
      putView.executeUpdate();
    } else if (record instanceof PbftDurable.ViewEntered entered) {
      PbftViewEntered.Builder row = PbftViewEntered.newBuilder().setView(entered.view());
      if (entered.newView() != null) {
        PbftNewView newView = protos.toProto(entered.newView());
        row.setNewView(newView);
      }
      putView.setLong(1, entered.view());
      putView.setBytes(2, null);
      putView.setBytes(3, row.build().toByteArray());
      putView.executeUpdate();
    } else if (record instanceof PbftDurable.StableCheckpoint checkpoint) {
      putStable.setLong(1, checkpoint.proof().sequence());
      putStable.setBytes(2, PbftMessageProtos.toProto(checkpoint.proof()).toByteArray());
      putStable.executeUpdate();
      prunePrePrepared.executeUpdate();
      prunePrepared.executeUpdate();
    } else if (record instanceof PbftDurable.Executed executed) {
      addExecuted.setLong(1, executed.decision().slot());
      addExecuted.setBytes(2, CommonCodec.toProto(executed.decision()).toByteArray());
      addExecuted.executeUpdate();
    } else {
      throw new AssertionError("unknown durable record " + record);
    }
  }

  /** Rows per table, for tests and operators: how much the pruning keeps. */
  public long rows(String table) {
    if (!List.of("pre_prepared", "prepared", "executed").contains(table)) {
      throw new IllegalArgumentException("no table " + table);
    }
    try (Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      long rows = count.getLong(1);
      connection.commit();
      return rows;
    } catch (SQLException e) {
      throw new StorageException(file, "cannot count " + table, e);
    }
  }

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
      for (PreparedStatement statement : List.of(putView, putPrePrepared, putPrepared, putStable, prunePrePrepared,
          prunePrepared, addExecuted)) {
        statement.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw new StorageException(file, "cannot close the state store", e);
    }
  }

  private static void requireSame(long row, long record, String what) {
    if (row != record) {
      throw new IllegalStateException(what + " row " + row + " holds " + record);
    }
  }
}
