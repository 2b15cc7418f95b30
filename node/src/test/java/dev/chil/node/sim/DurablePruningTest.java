package dev.chil.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real bug 2 of issue 10: the {@code accepted} table of state.db grew by a row per slot forever
 * (2,000 rows after 2,000 writes with a 16-slot window) and every start read it all. Now the
 * store deletes what the core prunes. The harness checks after every tick that no node's table
 * holds more than two windows (the core keeps a window behind its next slot and accepts a window
 * ahead), while nodes restart between turns and must recover everything they answered.
 */
@Tag("simulation")
class DurablePruningTest {
  private static final int WINDOW = 16;

  @Test
  void theAcceptedTableStaysWithinTwoWindowsOverThousandsOfWritesAndRestarts() {
    // Short stops only: a node more than a window behind cannot catch up yet (real bug 1 of the
    // issue, fixed beside this), and that is not what this test is about.
    HarnessOptions options = HarnessOptions.standard()
        .withCrashPoints(Set.of(), true)
        .withLoad(16, 1_400, WINDOW)
        .withCrashes(0.004, 2);

    NodeHarness.Result result = WholeNodeSimulationTest.run(7, options);

    System.out.println("pruning: " + result);
    assertThat(result.acknowledged()).isGreaterThanOrEqualTo(2_000);
    assertThat(result.slotsDecided()).isGreaterThan(20L * WINDOW);
    assertThat(result.crashesBetweenTurns()).as("nodes restarted along the way").isPositive();
    assertThat(result.acceptedRowsMax()).isPositive().isLessThanOrEqualTo(2L * WINDOW);
  }
}
