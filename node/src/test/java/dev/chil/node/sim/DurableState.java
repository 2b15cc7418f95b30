package dev.chil.node.sim;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.codec.PaxosMessageProtos;
import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.Ballot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * What a node's {@code state.db} holds on disk right now, read through a connection of its own
 * (read-only, outside the store's transaction), so a check sees only what is committed: what
 * would survive a crash at this instant.
 */
final class DurableState implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement promise;
  private final PreparedStatement accepted;
  private final PreparedStatement acceptedRows;
  private final PreparedStatement deliveredNext;

  DurableState(Path file) {
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      connection = config.createConnection("jdbc:sqlite:" + file);
      promise = connection.prepareStatement("SELECT ballot FROM promise");
      accepted = connection.prepareStatement("SELECT entry FROM accepted WHERE slot = ?");
      acceptedRows = connection.prepareStatement("SELECT COUNT(*) FROM accepted");
      deliveredNext = connection.prepareStatement("SELECT COALESCE(MAX(slot) + 1, 0) FROM delivered");
    } catch (SQLException e) {
      throw new IllegalStateException(file + ": cannot read", e);
    }
  }

  Ballot promised() {
    try (ResultSet row = promise.executeQuery()) {
      return row.next() ? PaxosMessageProtos.fromProto(dev.chil.proto.v1.Ballot.parseFrom(row.getBytes(1))) : Ballot.ZERO;
    } catch (SQLException | InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot read the promise", e);
    }
  }

  Optional<AcceptedEntry> accepted(long slot) {
    try {
      accepted.setLong(1, slot);
      try (ResultSet row = accepted.executeQuery()) {
        return row.next()
            ? Optional.of(PaxosMessageProtos.fromProto(dev.chil.proto.v1.AcceptedEntry.parseFrom(row.getBytes(1))))
            : Optional.empty();
      }
    } catch (SQLException | InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot read accepted slot " + slot, e);
    }
  }

  long acceptedRows() {
    return single(acceptedRows);
  }

  long deliveredNext() {
    return single(deliveredNext);
  }

  private static long single(PreparedStatement statement) {
    try (ResultSet row = statement.executeQuery()) {
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the state store", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close", e);
    }
  }
}
