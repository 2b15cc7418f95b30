package dev.chil.audit.chain;

import java.util.Objects;

/** A quorum certificate that does not prove its slot; {@link #problem()} names why. */
public final class InvalidCertificateException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Problem problem;

  public InvalidCertificateException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Problem problem() {
    return problem;
  }
}
