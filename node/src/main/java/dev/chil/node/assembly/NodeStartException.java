package dev.chil.node.assembly;

/** A node that cannot start, with a message naming what is wrong (a file, a key, a port). */
public final class NodeStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public NodeStartException(String message) {
    super(message);
  }

  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
