package dev.chil.audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Streams the rows of one query with a little look-ahead. sqlite-jdbc steps the statement as
 * {@code next()} is called, so memory stays bounded by the look-ahead, whatever the table's size.
 */
public final class RowCursor<T> implements AutoCloseable {
  /** Maps the current row of a result set. */
  public interface RowMapper<T> {
    T map(ResultSet rows) throws SQLException;
  }

  private final ResultSet rows;
  private final RowMapper<T> mapper;
  private final Deque<T> ahead = new ArrayDeque<>();
  private boolean exhausted;

  public RowCursor(ResultSet rows, RowMapper<T> mapper) {
    this.rows = rows;
    this.mapper = mapper;
  }

  /** The row {@code distance} places ahead (0 = the next one), or null past the end. */
  public T peek(int distance) throws SQLException {
    while (ahead.size() <= distance && !exhausted) {
      if (rows.next()) {
        ahead.addLast(mapper.map(rows));
      } else {
        exhausted = true;
      }
    }
    if (ahead.size() <= distance) {
      return null;
    }
    Iterator<T> iterator = ahead.iterator();
    for (int i = 0; i < distance; i++) {
      iterator.next();
    }
    return iterator.next();
  }

  public T peek() throws SQLException {
    return peek(0);
  }

  /** The next row, or null past the end. */
  public T next() throws SQLException {
    T row = peek(0);
    if (row != null) {
      ahead.removeFirst();
    }
    return row;
  }

  @Override
  public void close() throws SQLException {
    rows.getStatement().close();
  }
}
