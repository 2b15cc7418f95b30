package dev.chil.node.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What every state store does to its SQLite file: WAL with {@code synchronous=FULL} (read back,
 * since durability rests on it), and a schema this build wrote, told apart from any other SQLite
 * file by its application id and version; any other version is refused, never migrated silently.
 */
final class StateFiles {
  /** What {@code PRAGMA synchronous} reads as when FULL. */
  private static final int SYNCHRONOUS_FULL = 2;

  private StateFiles() {}

  /**
   * Opens the file in WAL mode with synchronous=FULL and auto-commit off, creating the schema in an
   * empty file or checking an existing one's application id and version.
   *
   * @param schema the statements that create the schema, ending with its two pragmas
   */
  static Connection open(Path file, int applicationId, int version, String[] schema) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try {
      configure(file, connection);
      connection.setAutoCommit(false);
      checkOrCreateSchema(file, connection, applicationId, version, schema);
      return connection;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void configure(Path file, Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // journal_mode answers with the mode it got: a file system without shared memory refuses WAL.
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        String journalMode = mode.getString(1);
        if (!"wal".equalsIgnoreCase(journalMode)) {
          throw new StorageException(file, "SQLite refused WAL mode (got " + journalMode + ")");
        }
      }
      // FULL: a commit is fsynced before it returns; NORMAL could lose the last promise on power loss.
      statement.execute("PRAGMA synchronous = FULL");
      int synchronous = intPragma(statement, "synchronous");
      if (synchronous != SYNCHRONOUS_FULL) {
        throw new StorageException(file, "SQLite kept synchronous=" + synchronous + ", not FULL");
      }
    }
  }

  private static void checkOrCreateSchema(Path file, Connection connection, int expectedApplicationId,
      int expectedVersion, String[] schema) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      int version = intPragma(statement, "user_version");
      int applicationId = intPragma(statement, "application_id");
      if (version == 0 && applicationId == 0) {
        if (tableCount(statement) > 0) {
          throw new StorageException(file, "not a state store: it has tables but no schema version");
        }
        for (String sql : schema) {
          statement.execute(sql);
        }
        connection.commit();
        return;
      }
      if (applicationId != expectedApplicationId) {
        throw new StorageException(file, String.format(
            "not a state store of this kind: application id 0x%08x, this one has 0x%08x", applicationId,
            expectedApplicationId));
      }
      if (version != expectedVersion) {
        throw new StorageException(file, "state store schema version " + version + ", this build reads only version "
            + expectedVersion);
      }
      connection.commit();
    }
  }

  static int intPragma(Statement statement, String name) throws SQLException {
    try (ResultSet result = statement.executeQuery("PRAGMA " + name)) {
      return result.getInt(1);
    }
  }

  private static int tableCount(Statement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'")) {
      return result.getInt(1);
    }
  }

  static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already failing with a better error.
      }
    }
  }
}
