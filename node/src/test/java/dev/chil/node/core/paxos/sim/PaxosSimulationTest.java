package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The random simulation over many seeds. {@code -Dsim.seeds=N} runs N seeds (default 1,000) from
 * {@code -Dsim.from} (default 1); {@code -Dsim.seed=S} replays one seed, as a failure's message says.
 */
@Tag("simulation")
class PaxosSimulationTest {
  static final int SEEDS_DEFAULT = 1_000;

  @Test
  void safeUnderFaultsAndLiveAfterHealing() {
    String replay = System.getProperty("sim.seed");
    long first = replay != null ? Long.parseLong(replay) : Long.getLong("sim.from", 1);
    long count = replay != null ? 1 : Long.getLong("sim.seeds", SEEDS_DEFAULT);
    long started = System.nanoTime();
    long slots = 0;
    long commands = 0;
    long messages = 0;
    long ticks = 0;
    long crashes = 0;
    long partitions = 0;
    long leaderChanges = 0;
    long duplicates = 0;
    long unappliedAtHeal = 0;
    long livenessTicksMax = 0;
    long reads = 0;
    for (long seed = first; seed < first + count; seed++) {
      Simulation.Result result = new Simulation(seed, SimOptions.standard(seed)).run();
      slots += result.slotsDecided();
      commands += result.commands();
      messages += result.messagesSent();
      ticks += result.ticks();
      crashes += result.crashes();
      partitions += result.partitions();
      leaderChanges += result.leaderChanges();
      duplicates += result.duplicatesSkipped();
      unappliedAtHeal += result.unappliedAtHeal();
      livenessTicksMax = Math.max(livenessTicksMax, result.livenessTicks());
      reads += result.readsServed();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("simulation: %d seeds from %d in %d ms: %d ticks, %d slots decided, %d commands, %d messages,"
        + " %d crashes, %d partitions, %d leaders elected, %d decided duplicates not applied again,"
        + " %d commands left for the liveness phase, at most %d ticks to finish them after healing,"
        + " %d linearizable reads checked%n",
        count, first, millis, ticks, slots, commands, messages, crashes, partitions, leaderChanges, duplicates,
        unappliedAtHeal, livenessTicksMax, reads);
    assertThat(slots).isPositive();
    assertThat(reads).isPositive();
  }

  @Test
  void aSeedReplaysExactly() {
    Simulation.Result first = new Simulation(7, SimOptions.standard(7)).run();
    Simulation.Result second = new Simulation(7, SimOptions.standard(7)).run();
    assertThat(second).isEqualTo(first);
  }
}
