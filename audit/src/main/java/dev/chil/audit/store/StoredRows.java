package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.Vote;
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
 *
 * <p>SQLite stores any type in any column, and JDBC converts quietly (a REAL 1.5 reads as the long
 * 1, a TEXT as its bytes), so every query also asks SQLite which column, if any, holds a value of
 * another type than the schema's: {@code mistyped} is that column's name, or null.
 */
public final class StoredRows {
  private StoredRows() {}

  public record GenesisRow(String cluster, String protocol, String quorumRule, long firstSlot, ByteString hash,
      List<RosterRow> roster, String mistyped) {}

  public record RosterRow(String node, long weight, String certificatePem, String mistyped) {}

  public record EntryRow(long index, long slot, String key, ByteString value, ByteString valueDigest, String client,
      String requestId, ByteString previousHash, ByteString hash, String mistyped) {

    /** The command as stored; throws IllegalArgumentException when a field breaks its rules. */
    public Command command() {
      return new Command(key, value, client, requestId);
    }

    public Entry toEntry() {
      return new Entry(index, slot, command(), previousHash, hash);
    }
  }

  public record SlotRow(long slot, long firstIndex, long entryCount, ByteString epoch, ByteString digest, String mistyped) {}

  /**
   * SQL naming the first of the columns whose stored type is not the one paired with it, or NULL.
   * Arguments alternate: column, type ("integer", "text" or "blob").
   */
  public static String typeCheck(String... columnsAndTypes) {
    StringBuilder sql = new StringBuilder("CASE");
    for (int i = 0; i < columnsAndTypes.length; i += 2) {
      sql.append(" WHEN typeof(").append(columnsAndTypes[i]).append(") != '").append(columnsAndTypes[i + 1])
          .append("' THEN '").append(columnsAndTypes[i]).append('\'');
    }
    return sql.append(" END").toString();
  }

  /** @throws SQLException also when the genesis row is missing, with that message */
  public static GenesisRow requireGenesis(Connection connection) throws SQLException {
    GenesisRow genesis = genesis(connection);
    if (genesis == null) {
      throw new SQLException("the genesis record is missing");
    }
    return genesis;
  }

  /** The genesis and roster rows, or null when the genesis row is missing. */
  public static GenesisRow genesis(Connection connection) throws SQLException {
    List<RosterRow> roster = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT node, weight, certificate_pem, "
                + typeCheck("node", "text", "weight", "integer", "certificate_pem", "text")
                + " FROM roster ORDER BY node");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        roster.add(new RosterRow(text(rows, 1), rows.getLong(2), text(rows, 3), rows.getString(4)));
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT cluster, protocol, quorum_rule, first_slot, hash, "
                + typeCheck("cluster", "text", "protocol", "text", "quorum_rule", "text", "first_slot", "integer",
                    "hash", "blob")
                + " FROM genesis WHERE singleton = 1");
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      return new GenesisRow(text(rows, 1), text(rows, 2), text(rows, 3), rows.getLong(4), blob(rows, 5), roster,
          rows.getString(6));
    }
  }

  /**
   * Rebuilds the genesis from its rows.
   *
   * @throws IllegalArgumentException or CertificateException naming the bad field
   */
  public static Genesis toGenesis(GenesisRow row) throws CertificateException {
    if (row.mistyped() != null) {
      throw new IllegalArgumentException("genesis." + row.mistyped() + " holds a value of the wrong type");
    }
    for (RosterRow member : row.roster()) {
      if (member.mistyped() != null) {
        throw new IllegalArgumentException("roster." + member.mistyped() + " of node '" + member.node()
            + "' holds a value of the wrong type");
      }
    }
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

  public static X509Certificate certificate(String node, String pem) throws CertificateException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new CertificateException("the roster certificate of " + node + " is not a PEM certificate", e);
    }
  }

  public static final String ENTRY_COLUMNS =
      "entry_index, slot, key, value, value_digest, client, request_id, previous_hash, hash";

  /** What {@link #entry} reads: the columns, then the type check. */
  public static final String ENTRY_SELECT = ENTRY_COLUMNS + ", " + typeCheck("slot", "integer", "key", "text",
      "value", "blob", "value_digest", "blob", "client", "text", "request_id", "text", "previous_hash", "blob",
      "hash", "blob");

  public static EntryRow entry(ResultSet rows) throws SQLException {
    return new EntryRow(rows.getLong(1), rows.getLong(2), text(rows, 3), blob(rows, 4), blob(rows, 5),
        text(rows, 6), text(rows, 7), blob(rows, 8), blob(rows, 9), rows.getString(10));
  }

  public static final String SLOT_COLUMNS = "slot, first_index, entry_count, epoch, digest";

  /** What {@link #slot} reads: the columns, then the type check. */
  public static final String SLOT_SELECT = SLOT_COLUMNS + ", "
      + typeCheck("first_index", "integer", "entry_count", "integer", "epoch", "blob", "digest", "blob");

  public static SlotRow slot(ResultSet rows) throws SQLException {
    return new SlotRow(rows.getLong(1), rows.getLong(2), rows.getLong(3), blob(rows, 4), blob(rows, 5),
        rows.getString(6));
  }

  /**
   * The votes of one slot in stored order. A vote with a value of the wrong type gets an empty
   * signature, which fails verification naming its signer.
   */
  public static List<Vote> votes(PreparedStatement votesOfSlot, long slot) throws SQLException {
    votesOfSlot.setLong(1, slot);
    List<Vote> votes = new ArrayList<>();
    try (ResultSet rows = votesOfSlot.executeQuery()) {
      while (rows.next()) {
        votes.add(new Vote(text(rows, 1), rows.getString(3) == null ? blob(rows, 2) : ByteString.EMPTY));
      }
    }
    return votes;
  }

  /** The votes of a slot; the slot is bound as an integer, so a vote whose slot is not one is in no slot. */
  public static final String VOTES_OF_SLOT = "SELECT signer, signature, "
      + typeCheck("position", "integer", "signer", "text", "signature", "blob")
      + " FROM votes WHERE slot = ? ORDER BY position";

  public static String text(ResultSet rows, int column) throws SQLException {
    String value = rows.getString(column);
    return value == null ? "" : value;
  }

  public static ByteString blob(ResultSet rows, int column) throws SQLException {
    byte[] value = rows.getBytes(column);
    return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
  }
}
