package dev.chil.node.core.pbft.sim;

import dev.chil.node.core.pbft.BrokenVariants;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The PBFT simulator must catch deliberately broken cores. Each case searches seeds from 1 until
 * the simulator reports a violation of the expected kind, prints how many seeds that took, and
 * fails if none of {@link #SEEDS_MAX} does.
 */
@Tag("simulation")
class PbftTeethTest {
  static final int SEEDS_MAX = 2_000;

  @Test
  void catchesAQuorumOf2f() {
    firstFailure("quorum of 2f", seed -> SimOptions.standard(seed).withQuorumRule(BrokenVariants.TWO_F), "certificate");
  }

  @Test
  void catchesAReplicaThatSkipsNewViewValidation() {
    firstFailure("skips NewView validation", seed -> SimOptions.standard(seed)
        .withFactory(BrokenVariants::skipsNewViewValidation), "agreement", "view change", "durability", "gap");
  }

  @Test
  void catchesAReplicaThatExecutesBeforeCommit() {
    firstFailure("executes before commit", seed -> SimOptions.standard(seed)
        .withFactory(BrokenVariants::executesBeforeCommit), "certificate");
  }

  @Test
  void catchesAReplicaThatAcceptsAPrePrepareOutsideTheWatermarks() {
    firstFailure("accepts outside watermarks", seed -> SimOptions.standard(seed)
        .withFactory(BrokenVariants::ignoresWatermarks), "watermarks");
  }

  @Test
  void catchesAReplicaThatForgetsItsPreparedCertificatesOnRestart() {
    firstFailure("forgets prepared certificates", seed -> SimOptions.standard(seed).withForgetfulStorage(),
        "view change");
  }

  /** Searches seeds for a violation of one of these kinds; other violations do not count. */
  private static SimulationFailure firstFailure(String mutant, LongFunction<SimOptions> options, String... kinds) {
    List<String> others = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        new PbftSimulation(seed, options.apply(seed)).run();
      } catch (SimulationFailure failure) {
        for (String kind : kinds) {
          if (failure.violation().contains(": " + kind)) {
            System.out.println("pbft teeth: " + mutant + " caught after " + seed + " seeds: " + failure.violation());
            return failure;
          }
        }
        others.add(failure.violation());
      }
    }
    throw new AssertionError("no violation of " + List.of(kinds) + " in " + SEEDS_MAX
        + " seeds: the simulator has no teeth for '" + mutant + "'; other violations: " + others);
  }
}
