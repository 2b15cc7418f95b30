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
 * Decisions per second of the pure PBFT core: 4 replicas in one thread, no faults, no storage,
 * HMAC signatures on every message and request. One invocation submits {@value #SEQUENCES} full
 * batches and drives them to execution at the primary, so the score is sequence numbers decided
 * per second; multiply by {@code batch} for requests per second. Run beside {@link PaxosCoreBenchmark}:
 *
 * <pre>
 *   mvn -B -q package -pl bench -am -DskipTests
 *   java -jar bench/target/benchmarks.jar 'PaxosCore|PbftCore' -f 1 -wi 3 -w 3s -i 5 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PbftCoreBenchmark {
  static final int SEQUENCES = 16;

  @Param({"1", "100"})
  public int batch;

  private InProcessPbft cluster;

  @Setup(Level.Trial)
  public void setUp() {
    cluster = new InProcessPbft(4, batch);
  }

  @Benchmark
  @OperationsPerInvocation(SEQUENCES)
  public long decisions() {
    cluster.round(SEQUENCES * batch);
    return cluster.decisionsAtPrimary();
  }
}
