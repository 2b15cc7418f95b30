package dev.chil.node.sim;

import dev.chil.node.runtime.TurnObserver;
import java.util.EnumSet;
import java.util.Set;

/**
 * A harness run's shape: how many nodes and clients, how long the fault phase lasts, how faulty
 * the network is, how often a node crashes and at which points of a turn, and which node variant
 * runs. Times are in ticks of {@link SimNode#TICK}.
 */
record HarnessOptions(
    int nodes,
    int clients,
    int faultTicks,
    int livenessTicksMax,
    int retainedSlots,
    int delayTicksMax,
    double dropRate,
    double duplicateRate,
    double crashesPerTick,
    Set<TurnObserver.Point> crashPoints,
    boolean crashBetweenTurns,
    int downTicksMax,
    NodeVariant variant) {

  HarnessOptions {
    crashPoints = crashPoints.isEmpty() ? Set.of() : EnumSet.copyOf(crashPoints);
  }

  /** Three nodes, three clients, a faulty network and crashes at every point of a turn. */
  static HarnessOptions standard() {
    return new HarnessOptions(3, 3, 400, 3_000, 32, 4, 0.02, 0.02, 0.03,
        EnumSet.allOf(TurnObserver.Point.class), true, 25, NodeVariant.REAL);
  }

  HarnessOptions withCrashPoints(Set<TurnObserver.Point> points, boolean betweenTurns) {
    return new HarnessOptions(nodes, clients, faultTicks, livenessTicksMax, retainedSlots, delayTicksMax, dropRate,
        duplicateRate, crashesPerTick, points, betweenTurns, downTicksMax, variant);
  }

  HarnessOptions withVariant(NodeVariant other) {
    return new HarnessOptions(nodes, clients, faultTicks, livenessTicksMax, retainedSlots, delayTicksMax, dropRate,
        duplicateRate, crashesPerTick, crashPoints, crashBetweenTurns, downTicksMax, other);
  }

  /** A long run with many clients and no drops or duplicates; for the bound on stored rows. */
  HarnessOptions withLoad(int clientCount, int ticks, int slotsRetained) {
    return new HarnessOptions(nodes, clientCount, ticks, livenessTicksMax, slotsRetained, delayTicksMax, 0, 0,
        crashesPerTick, crashPoints, crashBetweenTurns, downTicksMax, variant);
  }

  HarnessOptions withCrashes(double perTick, int downTicks) {
    return new HarnessOptions(nodes, clients, faultTicks, livenessTicksMax, retainedSlots, delayTicksMax, dropRate,
        duplicateRate, perTick, crashPoints, crashBetweenTurns, downTicks, variant);
  }
}
