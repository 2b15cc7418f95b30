package dev.chil.bench;

import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.VerifiedSlot;
import dev.chil.audit.store.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * transaction per append. Slots hold up to 100 commands (a proposal batch), so 1,000 entries per
 * transaction are ten slots in one group commit. {@code certificates}: {@code on-append} checks
 * each slot's two Ed25519 votes inside {@link AuditLog#append}; {@code ahead} hands the log
 * {@link VerifiedSlot}s checked beforehand (as a node does on its network threads), so it measures
 * hashing and SQLite alone.
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

  @Param({"on-append", "ahead"})
  public String certificates;

  private AuditFixtures fixtures;
  private Path directory;
  private AuditLog log;
  private List<DecidedSlot> next;
  private List<VerifiedSlot> nextVerified;

  @Setup(Level.Trial)
  public void createLog() throws Exception {
    fixtures = new AuditFixtures();
    directory = Files.createTempDirectory("chil-audit-bench");
    log = AuditLog.create(directory.resolve("audit.db"), fixtures.genesis, fixtures.nodes.get(0).signer(),
        AuditLog.Options.defaults());
  }

  /** Signing the votes is the protocol's work, not the log's: done outside the measurement. */
  @Setup(Level.Invocation)
  public void decideNextBatch() throws Exception {
    next = fixtures.slots(log.nextSlot(), entriesPerTransaction,
        Math.min(entriesPerTransaction, COMMANDS_PER_SLOT_MAX));
    if (certificates.equals("ahead")) {
      nextVerified = new ArrayList<>(next.size());
      for (DecidedSlot slot : next) {
        nextVerified.add(log.certificateCheck().verify(slot));
      }
    }
  }

  @Benchmark
  public void append(EntriesPerInvocation counter) throws Exception {
    if (certificates.equals("ahead")) {
      log.appendVerified(nextVerified);
    } else {
      log.append(next);
    }
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
