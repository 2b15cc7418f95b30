package dev.chil.node.core.pbft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The random PBFT simulation over many seeds, on 4 replicas (f = 1) and on 7 (f = 2), each size
 * its own run with its own seeds. {@code -Dsim.seeds=N} runs N seeds of each size from
 * {@code -Dsim.from} (default 1); {@code -Dsim.seed=S} replays seed S, as a failure's replay line
 * says (it names the test method, so only that size runs).
 */
@Tag("simulation")
class PbftSimulationTest {
  static final int FOUR_REPLICA_SEEDS_DEFAULT = 1_000;
  static final int SEVEN_REPLICA_SEEDS_DEFAULT = 500;
  private static final long PROGRESS_SEEDS = 10_000;

  @Test
  void fourReplicasSafeAndLive() {
    run(4, FOUR_REPLICA_SEEDS_DEFAULT);
  }

  @Test
  void sevenReplicasSafeAndLive() {
    run(7, SEVEN_REPLICA_SEEDS_DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7})
  void aSeedReplaysExactly(int nodes) {
    PbftSimulation.Result first = new PbftSimulation(11, SimOptions.standard(nodes)).run();
    PbftSimulation.Result second = new PbftSimulation(11, SimOptions.standard(nodes)).run();
    assertThat(second).isEqualTo(first);
  }

  private static void run(int nodes, int seedsDefault) {
    String replay = System.getProperty("sim.seed");
    long first = replay != null ? Long.parseLong(replay) : Long.getLong("sim.from", 1);
    long count = replay != null ? 1 : Long.getLong("sim.seeds", seedsDefault);
    long started = System.nanoTime();
    RunSummary summary = new RunSummary(nodes, first);
    for (long seed = first; seed < first + count; seed++) {
      summary.add(new PbftSimulation(seed, SimOptions.standard(nodes)).run());
      if (count >= PROGRESS_SEEDS && summary.seeds % PROGRESS_SEEDS == 0) {
        System.out.printf("pbft simulation, %d replicas: %d seeds done in %d s%n", nodes, summary.seeds,
            (System.nanoTime() - started) / 1_000_000_000);
      }
    }
    System.out.println(summary.describe((System.nanoTime() - started) / 1_000_000));
    assertThat(summary.sequences).isPositive();
    if (count >= 100) { // a long run must have met every number of liars up to f, and caught some equivocating
      assertThat(summary.seedsWithByzantine).as("seeds with 0 to f Byzantine replicas").doesNotContain(0L);
      assertThat(summary.evidenceExpected).isPositive();
      if (summary.faultsTolerated() > 1) { // and liars voting together for both batches of an equivocation
        assertThat(summary.doubleVotes).isPositive();
      }
    }
  }
}
