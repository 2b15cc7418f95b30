package dev.chil.node.sim;

import dev.chil.audit.store.AuditLog;
import dev.chil.node.assembly.NodeStartException;
import dev.chil.node.assembly.Recovery;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosStorageState;
import dev.chil.node.runtime.DurableStore;
import dev.chil.node.runtime.TurnObserver;
import dev.chil.node.statemachine.StateMachine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The three realistic bugs outside the core that once passed every test, as node variants the
 * harness must catch. Each does to the real parts exactly what the bug would: what reaches the
 * disk, the wire and the state machine, and when, is the same as with the bug planted in main code
 * (which was also tried by hand; see the teeth test).
 */
final class Mutants {
  private Mutants() {}

  /**
   * {@code Driver.finish} sending before it persists: the turn's records reach the store only
   * once its messages have left.
   */
  static final NodeVariant SENDS_BEFORE_PERSISTING = new NodeVariant() {
    @Override
    public Seams seams(DurableStore store, PaxosStorageState loaded, TurnObserver crashes) {
      List<Durable> held = new ArrayList<>();
      DurableStore late = held::addAll;
      TurnObserver flushAfterSending = point -> {
        crashes.reached(point);
        if (point == TurnObserver.Point.SENT && !held.isEmpty()) {
          store.persist(List.copyOf(held));
          held.clear();
        }
      };
      return new Seams(late, flushAfterSending);
    }
  };

  /** {@code Recovery} applying every command of a stored decision, not only {@code toApply}. */
  static final NodeVariant RECOVERY_APPLIES_ALL = new NodeVariant() {
    @Override
    public void recover(List<Decision> delivered, AuditLog audit, StateMachine stateMachine, Instant now)
        throws NodeStartException {
      List<Decision> all = new ArrayList<>();
      for (Decision decision : delivered) {
        all.add(new Decision(decision.slot(), decision.commands(), decision.certificate(), decision.commands()));
      }
      Recovery.run(all, audit, stateMachine, now);
    }
  };

  /**
   * The state store keeping the first promise instead of the latest ({@code INSERT OR IGNORE}
   * for {@code INSERT OR REPLACE}): once a promise row exists, later promises never reach it.
   */
  static final NodeVariant STORE_KEEPS_FIRST_PROMISE = new NodeVariant() {
    @Override
    public Seams seams(DurableStore store, PaxosStorageState loaded, TurnObserver crashes) {
      boolean[] promised = {!loaded.promised().equals(Ballot.ZERO)};
      DurableStore keepsFirst = records -> {
        List<Durable> kept = new ArrayList<>();
        for (Durable record : records) {
          if (record instanceof PaxosDurable.Promised) {
            if (promised[0]) {
              continue;
            }
            promised[0] = true;
          }
          kept.add(record);
        }
        store.persist(kept);
      };
      return new Seams(keepsFirst, crashes);
    }
  };
}
