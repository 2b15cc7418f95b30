package dev.chil.audit.chain;

import java.util.Objects;

/** A signed roster that no admin of the cluster authorized, or whose quorum rule is unsound. */
public final class RosterRejectedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Problem problem;

  public RosterRejectedException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Problem problem() {
    return problem;
  }
}
