package dev.chil.node.sim;

import dev.chil.audit.store.AuditLog;
import dev.chil.node.assembly.NodeStartException;
import dev.chil.node.assembly.Recovery;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.paxos.PaxosStorageState;
import dev.chil.node.runtime.DurableStore;
import dev.chil.node.runtime.TurnObserver;
import dev.chil.node.statemachine.StateMachine;
import java.time.Instant;
import java.util.List;

/**
 * How the harness puts one node together around its real parts: as production does
 * ({@link #REAL}), or deliberately broken (see {@link Mutants}). Main code has no switch for it.
 */
interface NodeVariant {
  /** What the driver persists through and which observer hears its turns. */
  record Seams(DurableStore store, TurnObserver observer) {}

  NodeVariant REAL = new NodeVariant() {};

  /** The store as the driver sees it, given the real store and what it loaded at start. */
  default Seams seams(DurableStore store, PaxosStorageState loaded, TurnObserver crashes) {
    return new Seams(store, crashes);
  }

  /** Brings the audit log and state machine up to the stored decisions, as a starting node does. */
  default void recover(List<Decision> delivered, AuditLog audit, StateMachine stateMachine, Instant now)
      throws NodeStartException {
    Recovery.run(delivered, audit, stateMachine, now);
  }
}
