package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.store.StoredRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attacker holding the file can do: drop the append-only triggers and rewrite rows, with
 * plain SQL or by recomputing hashes the way the writer does.
 */
final class Tamper implements AutoCloseable {
  private final Connection connection;

  Tamper(Path file) throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    List<String> triggers = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger'")) {
      while (rows.next()) {
        triggers.add(rows.getString(1));
      }
    }
    for (String trigger : triggers) {
      sql("DROP TRIGGER " + trigger);
    }
  }

  Tamper sql(String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    return this;
  }

  Tamper update(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i] instanceof ByteString bytes ? bytes.toByteArray() : parameters[i]);
      }
      statement.executeUpdate();
    }
    return this;
  }

  ByteString blob(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return ByteString.copyFrom(rows.getBytes(1));
    }
  }

  /** The first column of the first row, or null when there is no row. */
  String text(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** Shifts entry indexes >= from by delta without tripping the primary key on the way. */
  Tamper renumber(long from, long delta) throws SQLException {
    return sql("UPDATE entries SET entry_index = -(entry_index + " + delta + ") WHERE entry_index >= " + from,
        "UPDATE entries SET entry_index = -entry_index WHERE entry_index < 0");
  }

  /** Recomputes previous_hash and hash of every entry from {@code from} on, as the writer would. */
  Tamper rewriteChainFrom(long from) throws SQLException {
    ByteString previous = from == 1
        ? blob("SELECT hash FROM genesis")
        : blob("SELECT hash FROM entries WHERE entry_index = " + (from - 1));
    List<StoredRows.EntryRow> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT " + StoredRows.ENTRY_SELECT
            + " FROM entries WHERE entry_index >= " + from + " ORDER BY entry_index")) {
      while (result.next()) {
        rows.add(StoredRows.entry(result));
      }
    }
    for (StoredRows.EntryRow row : rows) {
      ByteString hash = ChainHash.entry(previous, row.index(), row.slot(), row.command());
      update("UPDATE entries SET previous_hash = ?, hash = ? WHERE entry_index = ?", previous, hash, row.index());
      previous = hash;
    }
    return this;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
