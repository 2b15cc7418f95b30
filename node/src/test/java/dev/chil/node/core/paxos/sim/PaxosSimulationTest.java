package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    long late = 0;
    long released = 0;
    long forged = 0;
    long corrupted = 0;
    long replayed = 0;
    long deposedReads = 0;
    long auditCatchUps = 0;
    long smallWindowSeeds = 0;
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
      late += result.lateMessages();
      released += result.releasedAfterHealing();
      forged += result.forged();
      corrupted += result.corrupted();
      replayed += result.replayed();
      deposedReads += result.deposedReads();
      auditCatchUps += result.auditCatchUps();
      smallWindowSeeds += result.windowSlots() <= 16 ? 1 : 0;
      if (count >= 10_000 && (seed - first + 1) % 10_000 == 0) {
        System.out.printf("simulation: %d seeds done in %d s%n", seed - first + 1, (System.nanoTime() - started) / 1_000_000_000);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("simulation: %d seeds from %d in %d ms: %d ticks, %d slots decided, %d commands, %d messages,"
        + " %d crashes, %d partitions, %d leaders elected, %d decided duplicates not applied again,"
        + " %d commands left for the liveness phase, at most %d ticks to finish them after healing,"
        + " %d linearizable reads checked (%d sent to deposed leaders with empty pipelines), %d messages delivered late,"
        + " %d released in bursts after healing, %d forged, %d corrupted, %d replayed, %d catch-ups served from the"
        + " audit log, %d seeds with a window of 16 slots or fewer%n",
        count, first, millis, ticks, slots, commands, messages, crashes, partitions, leaderChanges, duplicates,
        unappliedAtHeal, livenessTicksMax, reads, deposedReads, late, released, forged, corrupted, replayed,
        auditCatchUps, smallWindowSeeds);
    assertThat(slots).isPositive();
    assertThat(reads).isPositive();
    if (count >= 100) { // every fault kind must have happened, or the run proves less than it says
      assertThat(List.of(late, released, forged, corrupted, replayed, deposedReads, auditCatchUps)).allMatch(n -> n > 0);
    }
  }

  @Test
  void aSeedReplaysExactly() {
    Simulation.Result first = new Simulation(7, SimOptions.standard(7)).run();
    Simulation.Result second = new Simulation(7, SimOptions.standard(7)).run();
    assertThat(second).isEqualTo(first);
  }
}
