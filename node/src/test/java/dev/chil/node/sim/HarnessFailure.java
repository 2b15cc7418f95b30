package dev.chil.node.sim;

/** A whole-node invariant broke; the message starts with the violation and ends with the replay line. */
public final class HarnessFailure extends AssertionError {
  private static final long serialVersionUID = 1L;
  private final String violation;

  HarnessFailure(String violation) {
    super(violation);
    this.violation = violation;
  }

  HarnessFailure(String violation, String details, Throwable cause) {
    super(violation + "\n" + details, cause);
    this.violation = violation;
  }

  /** Which invariant broke, on which node. */
  public String violation() {
    return violation;
  }
}
