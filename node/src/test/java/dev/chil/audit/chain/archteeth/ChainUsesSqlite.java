package dev.chil.audit.chain.archteeth;

import java.sql.Connection;
import java.sql.SQLException;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: chain hashing that reads SQLite. */
public final class ChainUsesSqlite {
  public boolean readOnly(Connection connection) throws SQLException {
    return connection.isReadOnly();
  }
}
