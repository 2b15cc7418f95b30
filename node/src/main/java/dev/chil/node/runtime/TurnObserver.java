package dev.chil.node.runtime;

/**
 * Hears a driver turn pass each point of its durability order (see {@link Driver}). Production
 * passes {@link #NONE}. A whole-node harness passes one that stops the node exactly at a point,
 * as a crash there would: that is how "nothing is sent before it is durable" and "nothing is
 * applied twice" are tested at every point of a turn, without a flag in the driver.
 */
@FunctionalInterface
public interface TurnObserver {
  /** The points of a turn that did something, in the order the turn reaches them. */
  enum Point {
    /** The core was stepped; nothing of the turn is durable, sent, audited or applied yet. */
    STEPPED,
    /** The turn's records are durable; no message has been sent. */
    PERSISTED,
    /** The messages were handed to the outbox; the decisions are neither audited nor applied. */
    SENT,
    /** The decisions are in the audit log and not yet applied (reached only by turns that decided). */
    AUDITED,
    /** The decisions are applied; the waiting clients are not yet answered. */
    APPLIED
  }

  TurnObserver NONE = point -> {};

  /** Called on the driver's thread; an exception thrown here ends the turn where it stands. */
  void reached(Point point);
}
