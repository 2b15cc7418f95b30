package dev.chil.node.sim;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness must catch the three bugs outside the core that once passed every test. Each case
 * searches seeds from 1 until the harness reports the violation a user would suffer from, and
 * fails if none of {@link #SEEDS_MAX} does. The same three bugs were also planted by hand in
 * {@code Driver.finish}, {@code Recovery.run} and {@code PaxosStateStore}, and caught the same way.
 */
@Tag("simulation")
class WholeNodeTeethTest {
  static final int SEEDS_MAX = 20;

  @Test
  void catchesADriverThatSendsBeforePersisting() {
    firstFailure(Mutants.SENDS_BEFORE_PERSISTING, "durable before sent");
  }

  @Test
  void catchesRecoveryApplyingEveryCommandNotOnlyToApply() {
    firstFailure(Mutants.RECOVERY_APPLIES_ALL, "applied twice", "applied once");
  }

  @Test
  void catchesAStoreThatKeepsTheFirstPromise() {
    firstFailure(Mutants.STORE_KEEPS_FIRST_PROMISE, "durable before sent");
  }

  private static void firstFailure(NodeVariant mutant, String... kinds) {
    List<String> others = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        WholeNodeSimulationTest.run(seed, HarnessOptions.standard().withVariant(mutant));
      } catch (HarnessFailure failure) {
        for (String kind : kinds) {
          if (failure.violation().startsWith(kind)) {
            System.out.println("teeth: caught at seed " + seed + ": " + failure.violation());
            return;
          }
        }
        others.add(failure.violation());
      }
    }
    throw new AssertionError("no violation of " + List.of(kinds) + " in " + SEEDS_MAX
        + " seeds: the harness has no teeth here; other violations: " + others);
  }
}
