package dev.chil.node.core.pbft.sim;

import dev.chil.node.core.pbft.BrokenVariants;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PBFT simulator must catch deliberately broken cores, on 4 replicas and on 7. Each case
 * searches seeds from 1 until the simulator reports a violation of the expected kind, prints how
 * many seeds that took, and fails if none of {@link #SEEDS_MAX} does.
 */
@Tag("simulation")
class PbftTeethTest {
  static final int SEEDS_MAX = 2_000;

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {4, 7})
  void catchesAQuorumOf2f(int nodes) {
    firstFailure(nodes, "quorum of 2f", seed -> SimOptions.standard(nodes).withQuorumRule(BrokenVariants.TWO_F),
        "certificate");
  }

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {4, 7})
  void catchesAReplicaThatSkipsNewViewValidation(int nodes) {
    firstFailure(nodes, "skips NewView validation", seed -> SimOptions.standard(nodes)
        .withFactory(BrokenVariants::skipsNewViewValidation), "agreement", "view change", "durability", "gap");
  }

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {4, 7})
  void catchesAReplicaThatExecutesBeforeCommit(int nodes) {
    firstFailure(nodes, "executes before commit", seed -> SimOptions.standard(nodes)
        .withFactory(BrokenVariants::executesBeforeCommit), "certificate");
  }

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {4, 7})
  void catchesAReplicaThatAcceptsAPrePrepareOutsideTheWatermarks(int nodes) {
    firstFailure(nodes, "accepts outside watermarks", seed -> SimOptions.standard(nodes)
        .withFactory(BrokenVariants::ignoresWatermarks), "watermarks");
  }

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {4, 7})
  void catchesAReplicaThatForgetsItsPreparedCertificatesOnRestart(int nodes) {
    firstFailure(nodes, "forgets prepared certificates", seed -> SimOptions.standard(nodes).withForgetfulStorage(),
        "view change");
  }

  /** Searches seeds for a violation of one of these kinds; other violations do not count. */
  private static SimulationFailure firstFailure(int nodes, String mutant, LongFunction<SimOptions> options,
      String... kinds) {
    List<String> others = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        new PbftSimulation(seed, options.apply(seed)).run();
      } catch (SimulationFailure failure) {
        for (String kind : kinds) {
          if (failure.violation().contains(": " + kind)) {
            System.out.println("pbft teeth, " + nodes + " replicas: " + mutant + " caught after " + seed + " seeds: "
                + failure.violation());
            return failure;
          }
        }
        others.add(failure.violation());
      }
    }
    throw new AssertionError("no violation of " + List.of(kinds) + " in " + SEEDS_MAX + " seeds of " + nodes
        + " replicas: the simulator has no teeth for '" + mutant + "'; other violations: " + others);
  }
}
