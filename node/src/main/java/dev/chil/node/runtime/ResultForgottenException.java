package dev.chil.node.runtime;

/**
 * A retried proposal whose request id was applied so long ago that its result is no longer
 * remembered: it took effect once and will not again; reading the key shows what stands.
 */
public final class ResultForgottenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResultForgottenException(String message) {
    super(message);
  }
}
