package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.common.Decision;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.core.paxos.PaxosStorageState;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node's runtime does with a {@link CatchUpFromAudit}, in the simulator: the delivered
 * decisions of the simulated storage stand in for the audit log, which holds the same slots with
 * the same certificates (a driver appends every delivered slot to it).
 */
final class AuditLogStandIn {
  private AuditLogStandIn() {}

  /** The reply the runtime sends, or null when the log holds none of the slots asked for. */
  static PaxosMessage.CatchUpReply serve(PaxosStorageState stored, CatchUpFromAudit request) {
    List<Decision> delivered = stored.delivered();
    List<PaxosMessage.Decide> decisions = new ArrayList<>();
    for (long slot = request.fromSlot(); slot < delivered.size() && decisions.size() < request.slotsMax(); slot++) {
      Decision decision = delivered.get((int) slot);
      decisions.add(new PaxosMessage.Decide(decision.slot(), decision.commands(), decision.certificate()));
    }
    return decisions.isEmpty() ? null : new PaxosMessage.CatchUpReply(decisions);
  }
}
