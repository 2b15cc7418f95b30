package dev.chil.node.core.pbft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The random PBFT simulation over many seeds. {@code -Dsim.seeds=N} runs N seeds (default 1,000)
 * from {@code -Dsim.from} (default 1); {@code -Dsim.seed=S} replays one seed, as a failure says.
 */
@Tag("simulation")
class PbftSimulationTest {
  static final int SEEDS_DEFAULT = 1_000;

  @Test
  void safeUnderByzantineFaultsAndLiveAfterHealing() {
    String replay = System.getProperty("sim.seed");
    long first = replay != null ? Long.parseLong(replay) : Long.getLong("sim.from", 1);
    long count = replay != null ? 1 : Long.getLong("sim.seeds", SEEDS_DEFAULT);
    long started = System.nanoTime();
    long sequences = 0;
    long commands = 0;
    long messages = 0;
    long ticks = 0;
    long crashes = 0;
    long partitions = 0;
    long withByzantine = 0;
    long viewChanges = 0;
    long evidence = 0;
    long evidenceExpected = 0;
    long invalid = 0;
    long unappliedAtHeal = 0;
    long livenessTicksMax = 0;
    for (long seed = first; seed < first + count; seed++) {
      PbftSimulation.Result result = new PbftSimulation(seed, SimOptions.standard(seed)).run();
      sequences += result.sequencesExecuted();
      commands += result.commands();
      messages += result.messagesSent();
      ticks += result.ticks();
      crashes += result.crashes();
      partitions += result.partitions();
      withByzantine += result.byzantine() > 0 ? 1 : 0;
      viewChanges += result.highestView();
      evidence += result.evidence();
      evidenceExpected += result.evidenceExpected();
      invalid += result.invalidInputs();
      unappliedAtHeal += result.unappliedAtHeal();
      livenessTicksMax = Math.max(livenessTicksMax, result.livenessTicks());
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("pbft simulation: %d seeds from %d in %d ms: %d with Byzantine replicas, %d ticks,"
        + " %d sequences executed, %d requests, %d messages, %d crashes, %d partitions, %d views moved through,"
        + " %d pieces of evidence (%d equivocations the checker required), %d invalid inputs dropped,"
        + " %d requests left for the liveness phase, at most %d ticks to finish them after healing%n",
        count, first, millis, withByzantine, ticks, sequences, commands, messages, crashes, partitions, viewChanges,
        evidence, evidenceExpected, invalid, unappliedAtHeal, livenessTicksMax);
    assertThat(sequences).isPositive();
  }

  @Test
  void aSeedReplaysExactly() {
    PbftSimulation.Result first = new PbftSimulation(11, SimOptions.standard(11)).run();
    PbftSimulation.Result second = new PbftSimulation(11, SimOptions.standard(11)).run();
    assertThat(second).isEqualTo(first);
  }
}
