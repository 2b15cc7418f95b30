package dev.chil.node.runtime;

/**
 * A proposal or read this node cannot take now, and {@link #reason() why}: it does not lead (and
 * may know who does), its queue is full, or it is stopping. Each reason says what a caller can do
 * about it, so the client API can answer with a code the client can act on.
 */
public final class NodeUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the node cannot take the call. */
  public enum Reason {
    /** Another node leads ({@link #leaderHint()}), or none is known yet (hint null): go there, or wait for one. */
    NOT_LEADER,
    /** A bounded queue is full: retry after a while (capacity, not availability). */
    BUSY,
    /** The node is stopping or stopped: try another node. */
    STOPPED
  }

  private final Reason reason;
  private final String leaderHint;

  public NodeUnavailableException(Reason reason, String message, String leaderHint) {
    super(message);
    this.reason = reason;
    this.leaderHint = leaderHint;
  }

  /** This node does not lead; {@code leaderHint} might, or null when no leader is known. */
  public static NodeUnavailableException notLeader(String leaderHint) {
    return new NodeUnavailableException(Reason.NOT_LEADER,
        leaderHint == null ? "no leader is known yet" : "not the leader; " + leaderHint + " leads", leaderHint);
  }

  public static NodeUnavailableException busy(String message) {
    return new NodeUnavailableException(Reason.BUSY, message, null);
  }

  public static NodeUnavailableException stopped(String message) {
    return new NodeUnavailableException(Reason.STOPPED, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The node that may lead, or null when unknown. */
  public String leaderHint() {
    return leaderHint;
  }
}
