package dev.chil.node.runtime;

/**
 * A proposal this node cannot take now: its queue is full, it is not the leader and cannot reach
 * one, or it is stopping. The client may retry, here or at {@link #leaderHint()}.
 */
public final class NodeUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String leaderHint;

  public NodeUnavailableException(String message, String leaderHint) {
    super(message);
    this.leaderHint = leaderHint;
  }

  /** The node that may lead, or null when unknown. */
  public String leaderHint() {
    return leaderHint;
  }
}
