package dev.chil.node.core.paxos;

import dev.chil.audit.chain.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The acceptor's state: the highest ballot promised and, per slot, the value accepted last. Every
 * change returns the {@link PaxosDurable} record that must be on disk before the promise or vote
 * that depends on it leaves the node.
 */
final class Acceptor {
  private Ballot promised;
  private final TreeMap<Long, AcceptedEntry> accepted = new TreeMap<>();
  // Entries below this slot were pruned; a Promise says so, so a candidate behind it backs off.
  private long retainedFromSlot;

  Acceptor(Ballot promised, Iterable<AcceptedEntry> entries) {
    this.promised = promised;
    for (AcceptedEntry entry : entries) {
      accepted.put(entry.slot(), entry);
    }
  }

  Ballot promised() {
    return promised;
  }

  long retainedFromSlot() {
    return retainedFromSlot;
  }

  PaxosDurable.Promised promise(Ballot ballot) {
    if (ballot.isBelow(promised)) {
      throw new IllegalStateException("promise of " + ballot + " below promised " + promised);
    }
    promised = ballot;
    return new PaxosDurable.Promised(ballot);
  }

  PaxosDurable.AcceptedValue accept(long slot, Ballot ballot, List<Command> commands) {
    if (!ballot.equals(promised)) {
      throw new IllegalStateException("accept in " + ballot + " while promised " + promised);
    }
    AcceptedEntry entry = new AcceptedEntry(slot, ballot, commands);
    accepted.put(slot, entry);
    return new PaxosDurable.AcceptedValue(entry);
  }

  int size() {
    return accepted.size();
  }

  /** Accepted values from {@code fromSlot} on, in slot order. */
  List<AcceptedEntry> acceptedFrom(long fromSlot) {
    return new ArrayList<>(accepted.tailMap(fromSlot, true).values());
  }

  /**
   * Forgets accepted values below {@code slot}: they are delivered and retained in the log.
   * Returns the record that forgets them on disk too, when there was anything to forget.
   */
  Optional<PaxosDurable.AcceptedPrunedBelow> pruneBelow(long slot) {
    if (slot <= retainedFromSlot) {
      return Optional.empty();
    }
    retainedFromSlot = slot;
    SortedMap<Long, AcceptedEntry> forgotten = accepted.headMap(slot, false);
    if (forgotten.isEmpty()) {
      return Optional.empty();
    }
    forgotten.clear();
    return Optional.of(new PaxosDurable.AcceptedPrunedBelow(slot));
  }
}
