package dev.chil.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decisions per second of the pure Paxos core: 3 replicas in one thread, no faults, no storage,
 * HMAC votes. One invocation submits {@value #SLOTS} full batches and drives them to decision, so
 * the score is slots decided per second; multiply by {@code batch} for commands per second.
 *
 * <pre>
 *   mvn -B -q package -pl bench -am -DskipTests
 *   java -jar bench/target/benchmarks.jar PaxosCore -f 1 -wi 3 -w 3s -i 5 -r 3s
 * </pre>
 *
 * The JIT needs about three seconds to settle here; one-second warm-ups report a fraction of the
 * steady rate with an error larger than the score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PaxosCoreBenchmark {
  static final int SLOTS = 16;

  @Param({"1", "100"})
  public int batch;

  private InProcessPaxos cluster;

  @Setup(Level.Trial)
  public void setUp() {
    cluster = new InProcessPaxos(3, batch, SLOTS);
  }

  @Benchmark
  @OperationsPerInvocation(SLOTS)
  public long decisions() {
    cluster.round(SLOTS * batch);
    return cluster.decisionsAtLeader();
  }
}
