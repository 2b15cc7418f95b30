package dev.chil.node.core.common;

/** The answer to an {@link Input.ReadBarrier}, for the driver to hand to the waiting reader. */
public sealed interface ReadReply {
  long id();

  /**
   * This replica led, in its ballot, after the barrier was asked for, and has applied every slot
   * up to then: a read of the state machine now sees every write acknowledged before the read began.
   */
  record Ready(long id) implements ReadReply {}

  /** This replica cannot vouch for the read; {@code leaderHint} might, or null when unknown. */
  record Redirect(long id, String leaderHint) implements ReadReply {}

  /** Refused (too many reads waiting); the reader may retry later. */
  record Rejected(long id, String reason) implements ReadReply {}
}
