package dev.chil.node.core.pbft.sim;

/** A safety or liveness violation the PBFT simulator found; the message carries the replay line. */
public final class SimulationFailure extends AssertionError {
  private static final long serialVersionUID = 1L;
  private final String violation;

  SimulationFailure(String violation, String details) {
    super(violation + "\n" + details);
    this.violation = violation;
  }

  /** The first line: which invariant broke, where. */
  public String violation() {
    return violation;
  }
}
