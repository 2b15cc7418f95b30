package dev.chil.node.core.pbft.sim;

/**
 * What many seeds of one cluster size did, summed: the line a run prints, and what the test asks
 * of a run long enough to prove something (every count of Byzantine replicas from 0 to f seen).
 */
final class RunSummary {
  final int nodes;
  final long first;
  long seeds;
  long sequences;
  long commands;
  long messages;
  long ticks;
  long crashes;
  long partitions;
  long viewChanges;
  long evidence;
  long evidenceExpected;
  long invalid;
  long unappliedAtHeal;
  long livenessTicksMax;
  long doubleVotes;
  /** Index b: how many seeds ran with b Byzantine replicas, b from 0 to f. */
  final long[] seedsWithByzantine;

  RunSummary(int nodes, long first) {
    this.nodes = nodes;
    this.first = first;
    this.seedsWithByzantine = new long[(nodes - 1) / 3 + 1];
  }

  void add(PbftSimulation.Result result) {
    seeds++;
    sequences += result.sequencesExecuted();
    commands += result.commands();
    messages += result.messagesSent();
    ticks += result.ticks();
    crashes += result.crashes();
    partitions += result.partitions();
    viewChanges += result.highestView();
    evidence += result.evidence();
    evidenceExpected += result.evidenceExpected();
    invalid += result.invalidInputs();
    unappliedAtHeal += result.unappliedAtHeal();
    livenessTicksMax = Math.max(livenessTicksMax, result.livenessTicks());
    doubleVotes += result.doubleVotes();
    seedsWithByzantine[result.byzantine()]++;
  }

  int faultsTolerated() {
    return seedsWithByzantine.length - 1;
  }

  String describe(long millis) {
    StringBuilder byzantine = new StringBuilder();
    for (int count = 0; count < seedsWithByzantine.length; count++) {
      byzantine.append(count == 0 ? "" : ", ").append(seedsWithByzantine[count]).append(" with ").append(count);
    }
    return String.format("pbft simulation, %d replicas (f=%d): %d seeds from %d in %d ms: Byzantine replicas %s,"
        + " %d ticks, %d sequences executed, %d requests, %d messages, %d crashes, %d partitions, %d views moved"
        + " through, %d pieces of evidence (%d equivocations the checker required), %d invalid inputs dropped,"
        + " %d requests left for the liveness phase, at most %d ticks to finish them after healing,"
        + " %d votes of colluding liars for a second batch",
        nodes, faultsTolerated(), seeds, first, millis, byzantine, ticks, sequences, commands, messages, crashes,
        partitions, viewChanges, evidence, evidenceExpected, invalid, unappliedAtHeal, livenessTicksMax, doubleVotes);
  }
}
