package dev.chil.audit.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite layout of an audit log (FORMAT.md, "Tables"). The chain lives in {@code genesis},
 * {@code roster}, {@code entries}, {@code slots} and {@code votes}; node-local facts live in
 * tables prefixed {@code local_} and in {@code signed_heads}, outside every hash.
 *
 * <p>Triggers refuse UPDATE and DELETE on the chain's tables: not a defence against someone who
 * holds the file (the verifier is), but a guard against a bug or a tired operator.
 */
final class Schema {
  /** PRAGMA application_id: "chil" in ASCII, so that `file` and we can recognise our databases. */
  static final int APPLICATION_ID = 0x6368696C;
  /** PRAGMA user_version: bumped whenever the tables or the encoding change. */
  static final int VERSION = 1;

  static final List<String> TABLES = List.of(
      "genesis", "roster", "entries", "slots", "votes", "local_owner", "local_slot_facts", "signed_heads");

  private static final List<String> CHAIN_TABLES = List.of("genesis", "roster", "entries", "slots", "votes");

  private static final String DDL = """
      CREATE TABLE genesis (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        cluster     TEXT    NOT NULL,
        protocol    TEXT    NOT NULL,
        quorum_rule TEXT    NOT NULL,
        first_slot  INTEGER NOT NULL,
        hash        BLOB    NOT NULL
      );
      CREATE TABLE roster (
        node            TEXT    PRIMARY KEY,
        weight          INTEGER NOT NULL,
        certificate_pem TEXT    NOT NULL
      );
      CREATE TABLE entries (
        entry_index   INTEGER PRIMARY KEY,
        slot          INTEGER NOT NULL,
        key           TEXT    NOT NULL,
        value         BLOB    NOT NULL,
        value_digest  BLOB    NOT NULL,
        client        TEXT    NOT NULL,
        request_id    TEXT    NOT NULL,
        previous_hash BLOB    NOT NULL,
        hash          BLOB    NOT NULL
      );
      CREATE TABLE slots (
        slot        INTEGER PRIMARY KEY,
        first_index INTEGER NOT NULL,
        entry_count INTEGER NOT NULL,
        epoch       BLOB    NOT NULL,
        digest      BLOB    NOT NULL
      );
      CREATE TABLE votes (
        slot      INTEGER NOT NULL,
        position  INTEGER NOT NULL,
        signer    TEXT    NOT NULL,
        signature BLOB    NOT NULL,
        PRIMARY KEY (slot, position)
      ) WITHOUT ROWID;
      CREATE TABLE local_owner (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        node      TEXT NOT NULL
      );
      CREATE TABLE local_slot_facts (
        slot          INTEGER PRIMARY KEY,
        decided_at_ms INTEGER NOT NULL,
        learned_in    BLOB    NOT NULL
      );
      CREATE TABLE signed_heads (
        entry_index INTEGER PRIMARY KEY,
        hash        BLOB NOT NULL,
        signer      TEXT NOT NULL,
        signature   BLOB NOT NULL
      );
      """;

  private Schema() {}

  /** Creates every table in the caller's transaction. */
  static void create(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String table : DDL.split(";")) {
        if (!table.isBlank()) {
          statement.execute(table);
        }
      }
      for (String table : CHAIN_TABLES) {
        for (String operation : List.of("UPDATE", "DELETE")) {
          statement.execute("CREATE TRIGGER " + table + "_no_" + operation.toLowerCase(java.util.Locale.ROOT)
              + " BEFORE " + operation + " ON " + table
              + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
        }
      }
      statement.execute("PRAGMA application_id = " + APPLICATION_ID);
      statement.execute("PRAGMA user_version = " + VERSION);
    }
  }

  /**
   * Why this database is not an audit log this code can read, or null when it is one. Reads only.
   */
  static String problem(Connection connection) throws SQLException {
    int applicationId = pragma(connection, "application_id");
    int version = pragma(connection, "user_version");
    if (applicationId != APPLICATION_ID) {
      return tableCount(connection) == 0
          ? "is an SQLite database with no tables: not an audit log"
          : "is an SQLite database but not a chil audit log (application_id " + applicationId
              + ", expected " + APPLICATION_ID + ")";
    }
    if (version != VERSION) {
      return "has audit log schema version " + version + "; this program reads version " + VERSION;
    }
    List<String> missing = missingTables(connection);
    if (!missing.isEmpty()) {
      return "is missing the audit log table(s) " + String.join(", ", missing);
    }
    return null;
  }

  private static List<String> missingTables(Connection connection) throws SQLException {
    List<String> missing = new ArrayList<>(TABLES);
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (rows.next()) {
        missing.remove(rows.getString(1));
      }
    }
    return missing;
  }

  private static int tableCount(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static int pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
