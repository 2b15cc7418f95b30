package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificatePem;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.Vote;
import dev.chil.crypto.Identity;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
      String adminCertificatePem, ByteString adminSignature, List<RosterRow> roster, String mistyped) {}

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
        roster.add(new RosterRow(text(rows, 1), rows.getLong(2), text(rows, 3),
            notUtf8(rows, rows.getString(4), 1, "node", 3, "certificate_pem")));
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT cluster, protocol, quorum_rule, first_slot, hash, admin_certificate_pem, admin_signature, "
                + typeCheck("singleton", "integer", "cluster", "text", "protocol", "text", "quorum_rule", "text",
                    "first_slot", "integer", "hash", "blob", "admin_certificate_pem", "text", "admin_signature", "blob")
                + " FROM genesis");
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      GenesisRow genesis = new GenesisRow(text(rows, 1), text(rows, 2), text(rows, 3), rows.getLong(4), blob(rows, 5),
          text(rows, 6), blob(rows, 7), roster, notUtf8(rows, rows.getString(8), 1, "cluster", 2, "protocol", 3,
              "quorum_rule", 6, "admin_certificate_pem"));
      // The schema allows one row (singleton = 1); a file edited outside it may hold another.
      return rows.next() ? new GenesisRow(genesis.cluster(), genesis.protocol(), genesis.quorumRule(),
          genesis.firstSlot(), genesis.hash(), genesis.adminCertificatePem(), genesis.adminSignature(), roster,
          "singleton (more than one genesis row)") : genesis;
    }
  }

  /**
   * Rebuilds the signed roster (the genesis and its admin's signature) from its rows.
   *
   * @throws IllegalArgumentException or CertificateException naming the bad field
   */
  public static SignedRoster toSignedRoster(GenesisRow row) throws CertificateException {
    Genesis genesis = toGenesis(row);
    X509Certificate admin;
    try {
      admin = CertificatePem.decode(row.adminCertificatePem());
    } catch (CertificateException e) {
      throw new CertificateException("the admin certificate " + e.getMessage(), e);
    }
    return new SignedRoster(genesis, admin, row.adminSignature());
  }

  /**
   * Rebuilds the genesis from its rows.
   *
   * @throws IllegalArgumentException or CertificateException naming the bad field
   */
  public static Genesis toGenesis(GenesisRow row) throws CertificateException {
    String malformed = malformation(row);
    if (malformed != null) {
      throw new IllegalArgumentException(malformed);
    }
    Protocol protocol = Protocol.fromStoredName(row.protocol());
    List<RosterMember> members = new ArrayList<>();
    for (RosterRow member : row.roster()) {
      members.add(new RosterMember(member.node(), certificate(member.node(), member.certificatePem()),
          member.weight()));
    }
    return new Genesis(row.cluster(), protocol, row.firstSlot(), members);
  }

  /**
   * What is wrong with the genesis and roster rows themselves, before any certificate is read
   * (FORMAT.md, step 1.1), or null: a value of the wrong storage class, an unknown protocol or
   * another protocol's quorum rule, a cluster or roster name that is not a valid name, an empty
   * roster, a name twice, a negative first slot.
   */
  public static String malformation(GenesisRow row) {
    if (row.mistyped() != null) {
      return "genesis." + row.mistyped() + " holds a value of the wrong type";
    }
    for (RosterRow member : row.roster()) {
      if (member.mistyped() != null) {
        return "roster." + member.mistyped() + " of node '" + member.node() + "' holds a value of the wrong type";
      }
    }
    Protocol protocol;
    try {
      protocol = Protocol.fromStoredName(row.protocol());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (!protocol.quorumRule().equals(row.quorumRule())) {
      return "quorum rule '" + row.quorumRule() + "' is not " + protocol.storedName() + "'s rule '"
          + protocol.quorumRule() + "'";
    }
    try {
      Identity.node(row.cluster(), "n");
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (row.roster().isEmpty()) {
      return "the roster must name at least one node";
    }
    Set<String> names = new HashSet<>();
    for (RosterRow member : row.roster()) {
      try {
        Identity.node(row.cluster(), member.node());
      } catch (IllegalArgumentException e) {
        return "roster " + e.getMessage();
      }
      if (!names.add(member.node())) {
        return "node " + member.node() + " is in the roster twice";
      }
    }
    if (row.firstSlot() < 0) {
      return "first slot must not be negative: " + row.firstSlot();
    }
    return null;
  }

  /** A roster certificate, in the one canonical PEM form ({@link CertificatePem}). */
  public static X509Certificate certificate(String node, String pem) throws CertificateException {
    try {
      return CertificatePem.decode(pem);
    } catch (CertificateException e) {
      throw new CertificateException("the roster certificate of " + node + " " + e.getMessage(), e);
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
        text(rows, 6), text(rows, 7), blob(rows, 8), blob(rows, 9),
        notUtf8(rows, rows.getString(10), 3, "key", 6, "client", 7, "request_id"));
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
    return votes(votesOfSlot, slot, null);
  }

  /**
   * {@link #votes(PreparedStatement, long)}; {@code misplaced[0]}, when negative, receives the
   * first position that breaks 0, 1, 2, ... (or is not an INTEGER)
   */
  public static List<Vote> votes(PreparedStatement votesOfSlot, long slot, long[] misplaced) throws SQLException {
    votesOfSlot.setLong(1, slot);
    List<Vote> votes = new ArrayList<>();
    try (ResultSet rows = votesOfSlot.executeQuery()) {
      while (rows.next()) {
        if (misplaced != null && misplaced[0] < 0
            && ("position".equals(rows.getString(3)) || rows.getLong(4) != votes.size())) {
          misplaced[0] = votes.size();
        }
        String mistyped = notUtf8(rows, rows.getString(3), 1, "signer");
        if (mistyped == null) {
          votes.add(new Vote(text(rows, 1), blob(rows, 2)));
        } else {
          // A signer that is not TEXT of valid UTF-8 names nobody: never a roster node. A
          // signature that is not a BLOB verifies nothing.
          votes.add(new Vote(mistyped.startsWith("signer") ? "" : text(rows, 1), ByteString.EMPTY));
        }
      }
    }
    return votes;
  }

  /** The votes of a slot; the slot is bound as an integer, so a vote whose slot is not one is in no slot. */
  public static final String VOTES_OF_SLOT = "SELECT signer, signature, "
      + typeCheck("position", "integer", "signer", "text", "signature", "blob")
      + ", position FROM votes WHERE slot = ? ORDER BY position";

  /**
   * The first vote row in no slot of the log: its slot is not an integer, or no slot row has it.
   * Columns: the slot as stored, its storage class.
   */
  public static final String VOTE_WITHOUT_SLOT = "SELECT slot, typeof(slot) FROM votes"
      + " WHERE typeof(slot) != 'integer' OR slot NOT IN (SELECT slot FROM slots) ORDER BY slot LIMIT 1";

  /**
   * {@code mistyped} when it names a column already, else the first of the given TEXT columns
   * (alternating: index, name) whose bytes are not valid UTF-8, as "name (not valid UTF-8)", else
   * null. FORMAT.md: every TEXT value is valid UTF-8, or its column holds a value of the wrong
   * type. (A driver would quietly read invalid bytes as U+FFFD, and hash other bytes than those
   * stored; another implementation might hash the stored ones.)
   */
  public static String notUtf8(ResultSet rows, String mistyped, Object... columnsAndNames) throws SQLException {
    if (mistyped != null) {
      return mistyped;
    }
    for (int i = 0; i < columnsAndNames.length; i += 2) {
      byte[] stored = rows.getBytes((Integer) columnsAndNames[i]);
      if (stored != null && !validUtf8(stored)) {
        return columnsAndNames[i + 1] + " (not valid UTF-8)";
      }
    }
    return null;
  }

  /** Whether the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates). */
  public static boolean validUtf8(byte[] bytes) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  public static String text(ResultSet rows, int column) throws SQLException {
    String value = rows.getString(column);
    return value == null ? "" : value;
  }

  public static ByteString blob(ResultSet rows, int column) throws SQLException {
    byte[] value = rows.getBytes(column);
    return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
  }
}
