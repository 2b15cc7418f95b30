package dev.chil.node.sim;

import dev.chil.node.runtime.TurnObserver;

/** Thrown at a turn point to stop a node there, as if its process died at that instant. */
final class Crash extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient TurnObserver.Point point;

  Crash(String node, TurnObserver.Point point) {
    super(node + " crashed at " + point, null, false, false);
    this.point = point;
  }

  TurnObserver.Point point() {
    return point;
  }
}
