package dev.chil.bench;

import dev.chil.audit.AuditLog;
import dev.chil.audit.DecidedSlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable append rate of the audit log, in entries per second: WAL, synchronous=FULL, one
 * transaction per append, each slot's certificate (two Ed25519 votes) checked on append as the
 * log's contract requires. Slots hold up to 100 commands (a proposal batch), so 1,000 entries per
 * transaction are ten slots in one group commit.
 *
 * <p>The result's "ops" are entries. Run: {@code java -jar bench/target/benchmarks.jar AuditAppend}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditAppendBenchmark {
  private static final int COMMANDS_PER_SLOT_MAX = 100;

  @Param({"1", "100", "1000"})
  public int entriesPerTransaction;

  private AuditFixtures fixtures;
  private Path directory;
  private AuditLog log;
  private List<DecidedSlot> next;

  @Setup(Level.Trial)
  public void createLog() throws Exception {
    fixtures = new AuditFixtures();
    directory = Files.createTempDirectory("chil-audit-bench");
    log = AuditLog.create(directory.resolve("audit.db"), fixtures.genesis, fixtures.nodes.get(0).signer(),
        AuditLog.Options.defaults());
  }

  /** Signing the votes is the protocol's work, not the log's: done outside the measurement. */
  @Setup(Level.Invocation)
  public void decideNextBatch() {
    next = fixtures.slots(log.nextSlot(), entriesPerTransaction,
        Math.min(entriesPerTransaction, COMMANDS_PER_SLOT_MAX));
  }

  @Benchmark
  public void append(EntriesPerInvocation counter) throws Exception {
    log.append(next);
    counter.entries += entriesPerTransaction;
  }

  @TearDown(Level.Trial)
  public void deleteLog() throws Exception {
    log.close();
    AuditFixtures.deleteRecursively(directory);
  }

  /** Reports entries rather than invocations, since invocations carry different entry counts. */
  @State(Scope.Thread)
  @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.OPERATIONS)
  public static class EntriesPerInvocation {
    public long entries;

    @Setup(Level.Iteration)
    public void reset() {
      entries = 0;
    }
  }
}
