package dev.chil.node.core.paxos;

import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientTable;
import dev.chil.node.core.common.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The learner's log: decided slots (delivered ones retained for catch-up, undelivered ones waiting
 * for the gap below them to close), the next slot to deliver, and the client table that decides
 * which decided commands are applied.
 */
final class SlotLog {
  private final int retainedSlots;
  private final TreeMap<Long, PaxosMessage.Decide> decided = new TreeMap<>();
  private final ClientTable clients;
  private long nextToDeliver;

  SlotLog(int retainedSlots, ClientTable clients) {
    this.retainedSlots = retainedSlots;
    this.clients = clients;
  }

  /** Rebuilds from delivered decisions, slot 0 first, replaying the client table as it was built. */
  void restore(List<Decision> delivered) {
    for (Decision decision : delivered) {
      if (decision.slot() != nextToDeliver) {
        throw new IllegalStateException("persisted decisions skip from " + nextToDeliver + " to " + decision.slot());
      }
      decided.put(decision.slot(), new PaxosMessage.Decide(decision.slot(), decision.commands(), decision.certificate()));
      applyToClients(decision.slot(), decision.commands());
      nextToDeliver++;
      prune();
    }
  }

  long nextToDeliver() {
    return nextToDeliver;
  }

  boolean isDecided(long slot) {
    return slot < nextToDeliver || decided.containsKey(slot);
  }

  PaxosMessage.Decide get(long slot) {
    return decided.get(slot);
  }

  /** The lowest delivered slot still held in memory; slots below it are only in the audit log. */
  long firstRetained() {
    return Math.max(0, nextToDeliver - retainedSlots);
  }

  /** Decided slots held in memory: delivered ones in the window and undelivered ones ahead. */
  int size() {
    return decided.size();
  }

  /** The highest slot known decided, or nextToDeliver - 1. */
  long highestDecided() {
    return decided.isEmpty() ? nextToDeliver - 1 : Math.max(decided.lastKey(), nextToDeliver - 1);
  }

  ClientTable clients() {
    return clients;
  }

  void record(PaxosMessage.Decide decide) {
    if (decide.slot() < nextToDeliver || decided.containsKey(decide.slot())) {
      throw new IllegalStateException("slot " + decide.slot() + " is decided already");
    }
    decided.put(decide.slot(), decide);
  }

  boolean canDeliver() {
    return decided.containsKey(nextToDeliver);
  }

  /** Delivers the next slot: the decision with the commands not applied before. */
  Decision deliver() {
    PaxosMessage.Decide decide = decided.get(nextToDeliver);
    if (decide == null) {
      throw new IllegalStateException("slot " + nextToDeliver + " is not decided");
    }
    List<Command> toApply = applyToClients(decide.slot(), decide.commands());
    nextToDeliver++;
    prune();
    return new Decision(decide.slot(), decide.commands(), decide.certificate(), toApply);
  }

  /** Decided slots from {@code fromSlot} on, contiguous, at most {@code max}. */
  List<PaxosMessage.Decide> decidedFrom(long fromSlot, int max) {
    List<PaxosMessage.Decide> result = new ArrayList<>();
    for (long slot = fromSlot; result.size() < max && decided.containsKey(slot); slot++) {
      result.add(decided.get(slot));
    }
    return result;
  }

  private List<Command> applyToClients(long slot, List<Command> commands) {
    List<Command> toApply = new ArrayList<>(commands.size());
    for (Command command : commands) {
      if (clients.apply(command, slot)) {
        toApply.add(command);
      }
    }
    return toApply;
  }

  private void prune() {
    decided.headMap(nextToDeliver - retainedSlots, false).clear();
  }
}
