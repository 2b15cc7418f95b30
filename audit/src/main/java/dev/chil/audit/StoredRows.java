package dev.chil.audit;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an audit database as they are stored, before anyone trusted them: what the
 * verifier, export and compare read, and what the writer reads back on open. Nulls become empty
 * values so that a tampered row fails a check with a reason instead of crashing the reader.
 */
final class StoredRows {
  private StoredRows() {}

  record GenesisRow(String cluster, String protocol, String quorumRule, long firstSlot, ByteString hash,
      List<RosterRow> roster) {}

  record RosterRow(String node, long weight, String certificatePem) {}

  record EntryRow(long index, long slot, String key, ByteString value, ByteString valueDigest, String client,
      String requestId, ByteString previousHash, ByteString hash) {

    /** The command as stored; throws IllegalArgumentException when a field breaks its rules. */
    Command command() {
      return new Command(key, value, client, requestId);
    }

    Entry toEntry() {
      return new Entry(index, slot, command(), previousHash, hash);
    }
  }

  record SlotRow(long slot, long firstIndex, long entryCount, ByteString epoch, ByteString digest) {}

  /** @throws SQLException also when the genesis row is missing, with that message */
  static GenesisRow genesis(Connection connection) throws SQLException {
    List<RosterRow> roster = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT node, weight, certificate_pem FROM roster ORDER BY node");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        roster.add(new RosterRow(text(rows, 1), rows.getLong(2), text(rows, 3)));
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT cluster, protocol, quorum_rule, first_slot, hash FROM genesis WHERE singleton = 1");
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        throw new SQLException("the genesis record is missing");
      }
      return new GenesisRow(text(rows, 1), text(rows, 2), text(rows, 3), rows.getLong(4), blob(rows, 5), roster);
    }
  }

  /**
   * Rebuilds the genesis from its rows.
   *
   * @throws IllegalArgumentException or CertificateException naming the bad field
   */
  static Genesis toGenesis(GenesisRow row) throws CertificateException {
    Protocol protocol = Protocol.fromStoredName(row.protocol());
    if (!protocol.quorumRule().equals(row.quorumRule())) {
      throw new IllegalArgumentException("quorum rule '" + row.quorumRule() + "' is not " + protocol.storedName()
          + "'s rule '" + protocol.quorumRule() + "'");
    }
    List<RosterMember> members = new ArrayList<>();
    for (RosterRow member : row.roster()) {
      members.add(new RosterMember(member.node(), certificate(member.node(), member.certificatePem()),
          member.weight()));
    }
    return new Genesis(row.cluster(), protocol, row.firstSlot(), members);
  }

  static X509Certificate certificate(String node, String pem) throws CertificateException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new CertificateException("the roster certificate of " + node + " is not a PEM certificate", e);
    }
  }

  static final String ENTRY_COLUMNS =
      "entry_index, slot, key, value, value_digest, client, request_id, previous_hash, hash";

  static EntryRow entry(ResultSet rows) throws SQLException {
    return new EntryRow(rows.getLong(1), rows.getLong(2), text(rows, 3), blob(rows, 4), blob(rows, 5),
        text(rows, 6), text(rows, 7), blob(rows, 8), blob(rows, 9));
  }

  static final String SLOT_COLUMNS = "slot, first_index, entry_count, epoch, digest";

  static SlotRow slot(ResultSet rows) throws SQLException {
    return new SlotRow(rows.getLong(1), rows.getLong(2), rows.getLong(3), blob(rows, 4), blob(rows, 5));
  }

  /** The votes of one slot in stored order. */
  static List<Vote> votes(PreparedStatement votesOfSlot, long slot) throws SQLException {
    votesOfSlot.setLong(1, slot);
    List<Vote> votes = new ArrayList<>();
    try (ResultSet rows = votesOfSlot.executeQuery()) {
      while (rows.next()) {
        votes.add(new Vote(text(rows, 1), blob(rows, 2)));
      }
    }
    return votes;
  }

  static final String VOTES_OF_SLOT = "SELECT signer, signature FROM votes WHERE slot = ? ORDER BY position";

  static String text(ResultSet rows, int column) throws SQLException {
    String value = rows.getString(column);
    return value == null ? "" : value;
  }

  static ByteString blob(ResultSet rows, int column) throws SQLException {
    byte[] value = rows.getBytes(column);
    return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
  }
}
