package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code local_evidence} table of an audit log: node-local, outside every hash, like the other
 * {@code local_} tables, and added to a log when it first holds evidence (a log without the table
 * holds none), so the schema version of the chain does not change.
 */
public final class EvidenceTable {
  static final String DDL = "CREATE TABLE IF NOT EXISTS local_evidence ("
      + " id INTEGER PRIMARY KEY,"
      + " replica TEXT NOT NULL, message_type TEXT NOT NULL, view INTEGER NOT NULL, sequence INTEGER NOT NULL,"
      + " first_payload BLOB NOT NULL, first_signature BLOB NOT NULL,"
      + " second_payload BLOB NOT NULL, second_signature BLOB NOT NULL, recorded_at_ms INTEGER NOT NULL)";
  /** The most rows one call reads. */
  public static final int READ_MAX = 10_000;

  private EvidenceTable() {}

  /** Inserts in the caller's transaction. */
  static void insert(Connection connection, List<EvidenceRecord> records) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(DDL);
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO local_evidence (replica, message_type,"
        + " view, sequence, first_payload, first_signature, second_payload, second_signature, recorded_at_ms)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (EvidenceRecord record : records) {
        insert.setString(1, record.replica());
        insert.setString(2, record.messageType());
        insert.setLong(3, record.view());
        insert.setLong(4, record.sequence());
        insert.setBytes(5, record.firstPayload().toByteArray());
        insert.setBytes(6, record.firstSignature().toByteArray());
        insert.setBytes(7, record.secondPayload().toByteArray());
        insert.setBytes(8, record.secondSignature().toByteArray());
        insert.setLong(9, record.recordedAt().toEpochMilli());
        insert.executeUpdate();
      }
    }
  }

  /** Reads the evidence an audit log file holds, oldest first, opening it read-only. */
  public static List<EvidenceRecord> read(Path file) throws AuditStoreException {
    Sqlite.checkFile(file);
    Connection connection = Sqlite.openReadOnly(file);
    try {
      String problem = Schema.problem(connection);
      if (problem != null) {
        throw new AuditStoreException(file, problem);
      }
      try (Statement statement = connection.createStatement();
          ResultSet exists = statement.executeQuery(
              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'local_evidence'")) {
        if (exists.getLong(1) == 0) {
          return List.of();
        }
      }
      List<EvidenceRecord> records = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT replica, message_type, view, sequence, first_payload,"
              + " first_signature, second_payload, second_signature, recorded_at_ms FROM local_evidence ORDER BY id"
              + " LIMIT " + READ_MAX)) {
        while (rows.next()) {
          records.add(new EvidenceRecord(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4),
              ByteString.copyFrom(rows.getBytes(5)), ByteString.copyFrom(rows.getBytes(6)),
              ByteString.copyFrom(rows.getBytes(7)), ByteString.copyFrom(rows.getBytes(8)),
              Instant.ofEpochMilli(rows.getLong(9))));
        }
      }
      return records;
    } catch (SQLException | RuntimeException e) {
      throw new AuditStoreException(file, "cannot read its evidence: " + e.getMessage(), e);
    } finally {
      Sqlite.closeQuietly(connection);
    }
  }
}
