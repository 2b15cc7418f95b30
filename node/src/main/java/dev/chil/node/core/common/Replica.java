package dev.chil.node.core.common;

/**
 * A protocol core (Paxos, later PBFT): a deterministic state machine the driver steps one input
 * at a time. It does no IO, reads no clock and starts no thread; the same inputs from the same
 * persisted state give the same outputs.
 *
 * <p>The driver contract (see {@link Output}):
 *
 * <ul>
 *   <li>One thread steps a replica; {@code step} is not thread-safe.
 *   <li>Messages given as {@link Input.Receive} come from authenticated roster nodes; signatures
 *       inside them are still checked here when they form certificates.
 *   <li>Everything in {@link Output#persist()} is durable before any of {@link Output#messages()}
 *       is sent, and before {@link Output#decisions()} are applied.
 *   <li>After a crash the replica is rebuilt only from what earlier outputs asked to persist.
 *   <li>Ticks arrive at a steady rate; timeouts are counted in ticks.
 * </ul>
 */
public interface Replica {

  Output step(Input input);

  /** This replica's node name. */
  String name();
}
