package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.store.AuditLog;
import dev.chil.node.core.common.Decision;
import dev.chil.node.statemachine.StateMachine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the audit log and the state machine up to the decisions a restarted node finds in its
 * state store. The store is written first in every driver turn, so the audit log can only be
 * behind it (a crash between the two), never ahead; the state machine lives in memory and is
 * rebuilt by applying every delivered decision again, in order.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final int SLOTS_PER_APPEND = 256;

  private Recovery() {}

  static void run(List<Decision> delivered, AuditLog audit, StateMachine stateMachine, Instant now)
      throws NodeStartException {
    long auditNext = audit.nextSlot();
    long deliveredNext = delivered.isEmpty() ? 0 : delivered.get(delivered.size() - 1).slot() + 1;
    if (auditNext > deliveredNext) {
      throw new NodeStartException("the audit log holds slots up to " + (auditNext - 1)
          + " but the state store only up to " + (deliveredNext - 1) + ": state.db is older than audit.db");
    }
    List<DecidedSlot> missing = new ArrayList<>();
    for (Decision decision : delivered) {
      if (decision.slot() >= auditNext) {
        missing.add(new DecidedSlot(decision.commands(), decision.certificate(), now,
            decision.certificate().statement().epoch()));
      }
      for (Command command : decision.toApply()) {
        stateMachine.apply(decision.slot(), command);
      }
    }
    try {
      for (int from = 0; from < missing.size(); from += SLOTS_PER_APPEND) {
        audit.append(missing.subList(from, Math.min(missing.size(), from + SLOTS_PER_APPEND)));
      }
    } catch (Exception e) {
      throw new NodeStartException("the audit log refused slots from the state store: " + e.getMessage(), e);
    }
    if (!missing.isEmpty()) {
      LOG.info("audited {} slots that were decided before the last stop", missing.size());
    }
  }
}
