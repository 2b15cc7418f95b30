package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Head;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.Sqlite;
import dev.chil.audit.store.StoredRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares several nodes' logs by their entry hashes, index by index. Correct nodes' chains are
 * byte-identical, so the first index where two logs that both have an entry disagree is where
 * they forked. A log that is only shorter is behind, not forked. Two different geneses disagree
 * at index 0. Compare does not verify: run the verifier on each log for that.
 */
public final class AuditComparison {
  /** One log's owner and head. */
  public record NodeHead(Path file, String owner, Head head) {}

  /** At the first index where logs disagree: each distinct hash there, and the files holding it. */
  public record Disagreement(long index, Map<String, List<Path>> filesByHashHex) {
    public Disagreement {
      filesByHashHex = Map.copyOf(filesByHashHex);
    }
  }

  /**
   * @param commonPrefix the number of entries every log has and all agree on
   * @param disagreement null when no two logs disagree at any index they both have
   */
  public record Result(List<NodeHead> heads, long commonPrefix, Disagreement disagreement) {
    public Result {
      heads = List.copyOf(heads);
    }

    public boolean forked() {
      return disagreement != null;
    }

    /** 0 when no log forked, 1 when two disagree; unreadable input throws before a result exists. */
    public int exitCode() {
      return forked() ? VerificationResult.EXIT_INVALID : VerificationResult.EXIT_VALID;
    }

    /** Lines for a human: each head, the common prefix, then the verdict. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      for (NodeHead head : heads) {
        lines.add(head.owner() + " (" + head.file() + "): head " + head.head().index() + " " + head.head().hashHex());
      }
      lines.add("common prefix: " + commonPrefix + " entries");
      if (disagreement == null) {
        long longest = heads.stream().mapToLong(head -> head.head().index()).max().orElse(0);
        List<String> behind = heads.stream().filter(head -> head.head().index() < longest)
            .map(NodeHead::owner).toList();
        lines.add(behind.isEmpty() ? "no fork: all logs are identical"
            : "no fork: " + String.join(", ", behind) + " behind by up to " + (longest - commonPrefix) + " entries");
      } else {
        StringBuilder fork = new StringBuilder("FORK at index " + disagreement.index() + ":"
            + (disagreement.index() == 0 ? " different genesis (cluster or roster):" : ""));
        disagreement.filesByHashHex().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
            fork.append(' ').append(entry.getValue()).append(" have ").append(entry.getKey(), 0, 16).append('…').append(';'));
        lines.add(fork.substring(0, fork.length() - 1));
      }
      return lines;
    }
  }

  private AuditComparison() {}

  /** @throws AuditStoreException when a file cannot be read as an audit log (exit 2) */
  public static Result compare(List<Path> files) throws AuditStoreException {
    if (files.size() < 2) {
      throw new IllegalArgumentException("compare needs at least two logs, not " + files.size());
    }
    List<Log> logs = new ArrayList<>();
    try {
      for (Path file : files) {
        logs.add(Log.open(file));
      }
      List<NodeHead> heads = new ArrayList<>();
      for (Log log : logs) {
        heads.add(new NodeHead(log.file, log.owner, log.head));
      }
      long shortest = heads.stream().mapToLong(head -> head.head().index()).min().orElse(0);
      Disagreement disagreement = disagreementAt(0, logs, log -> log.genesisHash);
      long index = 0;
      while (disagreement == null) {
        index++;
        List<Log> having = new ArrayList<>();
        for (Log log : logs) {
          if (log.advanceTo(index)) {
            having.add(log);
          }
        }
        if (having.size() < 2) {
          break;
        }
        disagreement = disagreementAt(index, having, log -> log.hash);
      }
      long common = disagreement == null ? shortest : Math.min(shortest, disagreement.index() - 1);
      return new Result(heads, Math.max(0, common), disagreement);
    } finally {
      logs.forEach(Log::close);
    }
  }

  private interface HashOf {
    ByteString of(Log log);
  }

  private static Disagreement disagreementAt(long index, List<Log> logs, HashOf hashOf) {
    Map<String, List<Path>> byHash = new LinkedHashMap<>();
    for (Log log : logs) {
      byHash.computeIfAbsent(HexFormat.of().formatHex(hashOf.of(log).toByteArray()), hash -> new ArrayList<>())
          .add(log.file);
    }
    return byHash.size() > 1 ? new Disagreement(index, byHash) : null;
  }

  /** One log, read in one snapshot, its entries streamed in index order. */
  private static final class Log {
    final Path file;
    final Connection connection;
    final String owner;
    final ByteString genesisHash;
    final Head head;
    final ResultSet entries;
    ByteString hash;
    boolean ended;

    private Log(Path file, Connection connection, String owner, ByteString genesisHash, Head head, ResultSet entries) {
      this.file = file;
      this.connection = connection;
      this.owner = owner;
      this.genesisHash = genesisHash;
      this.head = head;
      this.entries = entries;
    }

    static Log open(Path file) throws AuditStoreException {
      Connection connection = Sqlite.openReadOnly(file);
      try {
        connection.setAutoCommit(false);
        ByteString genesisHash = StoredRows.requireGenesis(connection).hash();
        String owner = file.getFileName().toString();
        try (PreparedStatement statement = connection.prepareStatement("SELECT node FROM local_owner");
            ResultSet rows = statement.executeQuery()) {
          if (rows.next()) {
            owner = Objects.requireNonNullElse(rows.getString(1), owner);
          }
        }
        Head head = new Head(0, genesisHash);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT entry_index, hash FROM entries ORDER BY entry_index DESC LIMIT 1");
            ResultSet rows = statement.executeQuery()) {
          if (rows.next()) {
            head = new Head(Math.max(0, rows.getLong(1)), StoredRows.blob(rows, 2));
          }
        }
        ResultSet entries = connection.prepareStatement(
            "SELECT entry_index, hash FROM entries WHERE entry_index >= 1 ORDER BY entry_index").executeQuery();
        return new Log(file, connection, owner, genesisHash, head, entries);
      } catch (SQLException e) {
        Sqlite.closeQuietly(connection);
        throw new AuditStoreException(file, "cannot be read: " + Sqlite.describe(e), e);
      }
    }

    /** Moves to the entry at {@code index}; false when the log has no such entry (it ended or has a gap). */
    boolean advanceTo(long index) throws AuditStoreException {
      try {
        if (ended || !entries.next() || entries.getLong(1) != index) {
          ended = true;
          return false;
        }
        hash = StoredRows.blob(entries, 2);
        return true;
      } catch (SQLException e) {
        throw new AuditStoreException(file, "cannot be read: " + Sqlite.describe(e), e);
      }
    }

    void close() {
      Sqlite.closeQuietly(connection);
    }
  }
}
