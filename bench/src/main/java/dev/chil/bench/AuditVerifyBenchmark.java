package dev.chil.bench;

import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Verify rate of a 20,000-entry audit log, in entries per second: hashes only (links, hashes,
 * value and slot digests) and with certificates (plus roster, two Ed25519 votes per slot, signed
 * heads). Slots of 1 command are the worst case for certificates; slots of 100 a batched cluster.
 *
 * <p>The result's "ops" are entries. Run: {@code java -jar bench/target/benchmarks.jar AuditVerify}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditVerifyBenchmark {
  private static final int ENTRIES = 20_000;

  @Param({"hashes", "certificates"})
  public String check;

  @Param({"1", "100"})
  public int commandsPerSlot;

  private AuditFixtures fixtures;
  private Path directory;
  private Path file;
  private AuditVerifier.Options options;

  @Setup(Level.Trial)
  public void writeLog() throws Exception {
    fixtures = new AuditFixtures();
    directory = Files.createTempDirectory("chil-audit-bench");
    file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, fixtures.genesis, fixtures.nodes.get(0).signer(),
        AuditLog.Options.defaults())) {
      for (int done = 0; done < ENTRIES; done += 1_000) {
        log.append(fixtures.slots(log.nextSlot(), 1_000, commandsPerSlot));
      }
    }
    options = check.equals("hashes") ? AuditVerifier.Options.hashesOnly() : AuditVerifier.Options.full();
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public VerificationResult verify() {
    VerificationResult result = AuditVerifier.verify(file, fixtures.authority.certificate(), options);
    if (!(result instanceof VerificationResult.Valid valid) || valid.entries() != ENTRIES) {
      throw new IllegalStateException("the benchmark's log does not verify: " + result.message());
    }
    return result;
  }

  @TearDown(Level.Trial)
  public void deleteLog() throws Exception {
    AuditFixtures.deleteRecursively(directory);
  }
}
