package dev.chil.audit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Opens SQLite connections the two ways the audit log needs, with the errors said plainly. */
public final class Sqlite {
  private Sqlite() {}

  /**
   * The writer's connection: WAL, so readers (a verifier) never block the node; synchronous=FULL,
   * so a committed transaction survives power loss; IMMEDIATE transactions, so a second writer
   * fails at BEGIN instead of deadlocking at COMMIT.
   */
  public static Connection openWritable(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setBusyTimeout(5_000);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /**
   * A connection that cannot write: SQLITE_OPEN_READONLY plus query_only, so neither a bug here
   * nor a checkpoint on close changes the file a verifier was handed.
   *
   * <p>Without a {@code -wal} file beside it, no writer has the log open (SQLite removes the WAL
   * when the last connection closes), and the file is opened {@code immutable=1}: no locks and no
   * {@code -shm}/{@code -wal} files created next to it, so a verifier leaves even the directory
   * as it found it, and works on read-only media. With a WAL present a node may be appending, and
   * the log is read through the WAL as SQLite's readers do, in one snapshot.
   *
   * @throws AuditStoreException when the file is missing, empty, not SQLite or not an audit log
   */
  public static Connection openReadOnly(Path file) throws AuditStoreException {
    checkFile(file);
    Connection connection;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(5_000);
      boolean live = Files.exists(file.resolveSibling(file.getFileName() + "-wal"));
      String uri = file.toAbsolutePath().toUri().toString() + (live ? "?mode=ro" : "?mode=ro&immutable=1");
      connection = config.createConnection("jdbc:sqlite:" + uri);
    } catch (SQLException e) {
      throw new AuditStoreException(file, "cannot be opened: " + describe(e), e);
    }
    try {
      try (var statement = connection.createStatement()) {
        statement.execute("PRAGMA query_only = 1");
      }
      String problem = Schema.problem(connection);
      if (problem != null) {
        throw new AuditStoreException(file, problem);
      }
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new AuditStoreException(file, describe(e), e);
    } catch (AuditStoreException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /** Refuses what SQLite would silently accept: a missing file (it creates one), an empty one. */
  public static void checkFile(Path file) throws AuditStoreException {
    if (!Files.exists(file)) {
      throw new AuditStoreException(file, "does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new AuditStoreException(file, "is not a regular file");
    }
    try {
      if (Files.size(file) == 0) {
        throw new AuditStoreException(file, "is empty (0 bytes): not an audit log");
      }
    } catch (IOException e) {
      throw new AuditStoreException(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** SQLite's errors in words a user can act on. */
  public static String describe(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      SQLiteErrorCode code = sqlite.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_NOTADB) {
        return "is not an SQLite database";
      }
      if (code == SQLiteErrorCode.SQLITE_CORRUPT) {
        return "is a corrupt SQLite database";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }

  public static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Already failing with a better message.
    }
  }
}
