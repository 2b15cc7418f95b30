package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.RowCursor;
import dev.chil.audit.store.Sqlite;
import dev.chil.audit.store.StoredRows;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a log as JSON lines (FORMAT.md, "Export"): a genesis line, then in index order each
 * slot's line before its entries and each signed head after the entry it signs. Streams; does not
 * verify. Hashes and digests are lowercase hex, opaque bytes (values, epochs, signatures) base64.
 */
public final class AuditExport {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private AuditExport() {}

  /**
   * Exports entries {@code fromIndex..toIndex} (both inclusive), the slots whose first index lies
   * in that range, and the signed heads in it.
   *
   * @return the number of entry lines written
   */
  public static long export(Path file, long fromIndex, long toIndex, Writer out)
      throws AuditStoreException, IOException {
    if (fromIndex < 1 || toIndex < fromIndex) {
      throw new IllegalArgumentException("export " + fromIndex + ".." + toIndex + ": indexes start at 1 and --to must not be below --from");
    }
    Connection connection = Sqlite.openReadOnly(file);
    try {
      connection.setAutoCommit(false);
      return new Writing(connection, out).run(fromIndex, toIndex);
    } catch (SQLException e) {
      throw new AuditStoreException(file, "cannot be read: " + Sqlite.describe(e), e);
    } finally {
      Sqlite.closeQuietly(connection);
    }
  }

  private static final class Writing {
    private final Connection connection;
    private final Writer out;

    Writing(Connection connection, Writer out) {
      this.connection = connection;
      this.out = out;
    }

    long run(long fromIndex, long toIndex) throws SQLException, IOException {
      genesisLine();
      long entries = 0;
      try (RowCursor<Map<String, Object>> slots = cursor("SELECT s." + StoredRows.SLOT_COLUMNS.replace(", ", ", s.")
              + ", NULL, f.decided_at_ms, f.learned_in FROM slots s LEFT JOIN local_slot_facts f ON f.slot = s.slot"
              + " WHERE s.first_index BETWEEN ? AND ? ORDER BY s.first_index, s.slot", fromIndex, toIndex, this::slotLine);
          RowCursor<Map<String, Object>> entryRows = cursor("SELECT " + StoredRows.ENTRY_SELECT
              + " FROM entries WHERE entry_index BETWEEN ? AND ? ORDER BY entry_index", fromIndex, toIndex, this::entryLine);
          RowCursor<Map<String, Object>> heads = cursor("SELECT entry_index, hash, signer, signature FROM signed_heads"
              + " WHERE entry_index BETWEEN ? AND ? ORDER BY entry_index", fromIndex - 1, toIndex, Writing::headLine)) {
        long index = fromIndex - 1;
        writeHeadsUpTo(heads, index);
        for (Map<String, Object> entry = entryRows.next(); entry != null; entry = entryRows.next()) {
          index = (long) entry.get("index");
          writeSlotsUpTo(slots, index);
          write(entry);
          entries++;
          writeHeadsUpTo(heads, index);
        }
        writeSlotsUpTo(slots, Long.MAX_VALUE);
        writeHeadsUpTo(heads, Long.MAX_VALUE);
      }
      out.flush();
      return entries;
    }

    private void writeSlotsUpTo(RowCursor<Map<String, Object>> slots, long index) throws SQLException, IOException {
      for (Map<String, Object> slot = slots.peek(); slot != null && (long) slot.get("first_index") <= index;
          slot = slots.peek()) {
        slots.next();
        List<Map<String, Object>> votes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(StoredRows.VOTES_OF_SLOT)) {
          for (Vote vote : StoredRows.votes(statement, (long) slot.get("slot"))) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("signer", vote.signer());
            line.put("signature", base64(vote.signature()));
            votes.add(line);
          }
        }
        slot.put("votes", votes);
        write(slot);
      }
    }

    private void writeHeadsUpTo(RowCursor<Map<String, Object>> heads, long index) throws SQLException, IOException {
      for (Map<String, Object> head = heads.peek(); head != null && (long) head.get("index") <= index;
          head = heads.peek()) {
        write(heads.next());
      }
    }

    private void genesisLine() throws SQLException, IOException {
      StoredRows.GenesisRow genesis = StoredRows.requireGenesis(connection);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "genesis");
      line.put("format_version", Genesis.FORMAT_VERSION);
      line.put("cluster", genesis.cluster());
      line.put("protocol", genesis.protocol());
      line.put("quorum_rule", genesis.quorumRule());
      line.put("first_slot", genesis.firstSlot());
      line.put("genesis_hash", hex(genesis.hash()));
      List<Map<String, Object>> roster = new ArrayList<>();
      for (StoredRows.RosterRow member : genesis.roster()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("node", member.node());
        node.put("weight", member.weight());
        node.put("certificate_pem", member.certificatePem());
        roster.add(node);
      }
      line.put("roster", roster);
      write(line);
    }

    private Map<String, Object> slotLine(ResultSet rows) throws SQLException {
      StoredRows.SlotRow slot = StoredRows.slot(rows);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "slot");
      line.put("slot", slot.slot());
      line.put("first_index", slot.firstIndex());
      line.put("entry_count", slot.entryCount());
      line.put("epoch", base64(slot.epoch()));
      line.put("digest", hex(slot.digest()));
      long decidedAt = rows.getLong(7);
      line.put("decided_at", rows.wasNull() ? null : Instant.ofEpochMilli(decidedAt).toString());
      line.put("learned_in", base64(StoredRows.blob(rows, 8)));
      return line;
    }

    private Map<String, Object> entryLine(ResultSet rows) throws SQLException {
      StoredRows.EntryRow entry = StoredRows.entry(rows);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "entry");
      line.put("index", entry.index());
      line.put("slot", entry.slot());
      line.put("key", entry.key());
      line.put("value", base64(entry.value()));
      line.put("value_sha256", hex(entry.valueDigest()));
      line.put("client", entry.client());
      line.put("request_id", entry.requestId());
      line.put("previous_hash", hex(entry.previousHash()));
      line.put("hash", hex(entry.hash()));
      return line;
    }

    private static Map<String, Object> headLine(ResultSet rows) throws SQLException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "signed_head");
      line.put("index", rows.getLong(1));
      line.put("hash", hex(StoredRows.blob(rows, 2)));
      line.put("signer", StoredRows.text(rows, 3));
      line.put("signature", base64(StoredRows.blob(rows, 4)));
      return line;
    }

    private <T> RowCursor<T> cursor(String sql, long from, long to, RowCursor.RowMapper<T> mapper) throws SQLException {
      PreparedStatement statement = connection.prepareStatement(sql);
      statement.setLong(1, from);
      statement.setLong(2, to);
      return new RowCursor<>(statement.executeQuery(), mapper);
    }

    private void write(Map<String, Object> line) throws IOException {
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
    }
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static String base64(ByteString bytes) {
    return BASE64.encodeToString(bytes.toByteArray());
  }
}
