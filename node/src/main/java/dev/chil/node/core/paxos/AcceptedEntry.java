package dev.chil.node.core.paxos;

import dev.chil.audit.chain.Command;
import java.util.List;
import java.util.Objects;

/** What an acceptor accepted for one slot: the ballot and the slot's commands (empty: no-op). */
public record AcceptedEntry(long slot, Ballot ballot, List<Command> commands) {
  public AcceptedEntry {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
    Objects.requireNonNull(ballot, "ballot");
    commands = List.copyOf(commands);
  }
}
