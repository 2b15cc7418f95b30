package dev.chil.node.runtime;

/**
 * What the driver reports as it works, for whoever measures it (Prometheus, in the node). The
 * driver calls these on its own thread, so an implementation must be quick and must not block;
 * the default does nothing.
 */
public interface DriverMetrics {
  DriverMetrics NONE = new DriverMetrics() {};

  /** The turn's durable state was written and synced (fsync included). */
  default void persisted(long nanos) {}

  /** Decided slots were appended to the audit log in one transaction. */
  default void audited(int slots, long nanos) {}

  /** A slot was decided with this many commands. */
  default void decided(int commands) {}

  /** A proposal ended: {@code outcome} is "success", "refused" (decided, did not take effect) or "failed". */
  default void proposalEnded(String outcome, long nanos) {}
}
