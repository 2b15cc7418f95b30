package dev.chil.audit.store;

/**
 * An append the log refused, having changed nothing: a slot that does not follow the head, or
 * whose certificate does not prove its commands.
 */
public final class AppendRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public AppendRefusedException(String message) {
    super(message);
  }

  public AppendRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
