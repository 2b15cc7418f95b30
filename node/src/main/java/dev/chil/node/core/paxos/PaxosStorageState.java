package dev.chil.node.core.paxos;

import dev.chil.node.core.common.Decision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a Paxos replica's storage holds: the fold of every {@link PaxosDurable} its outputs asked
 * to persist, and all a restarted replica is built from. A driver keeps it in SQLite; the
 * simulator keeps it in memory. Not thread-safe.
 */
public final class PaxosStorageState {
  private Ballot promised = Ballot.ZERO;
  private final TreeMap<Long, AcceptedEntry> accepted = new TreeMap<>();
  private final List<Decision> delivered = new ArrayList<>();

  public void apply(PaxosDurable record) {
    if (record instanceof PaxosDurable.Promised promise) {
      promised = promise.ballot();
    } else if (record instanceof PaxosDurable.AcceptedValue value) {
      accepted.put(value.entry().slot(), value.entry());
    } else if (record instanceof PaxosDurable.AcceptedPrunedBelow pruned) {
      accepted.headMap(pruned.slot(), false).clear();
    } else if (record instanceof PaxosDurable.Delivered delivery) {
      long expected = delivered.size();
      if (delivery.decision().slot() != expected) {
        throw new IllegalStateException("delivered slot " + delivery.decision().slot() + ", expected " + expected);
      }
      delivered.add(delivery.decision());
    } else {
      throw new AssertionError("unknown durable record " + record);
    }
  }

  /** A copy, as a restarted replica would read it back. */
  public PaxosStorageState copy() {
    PaxosStorageState copy = new PaxosStorageState();
    copy.promised = promised;
    copy.accepted.putAll(accepted);
    copy.delivered.addAll(delivered);
    return copy;
  }

  public Ballot promised() {
    return promised;
  }

  public NavigableMap<Long, AcceptedEntry> accepted() {
    return Collections.unmodifiableNavigableMap(accepted);
  }

  /** Delivered decisions, slot 0 first, no gaps. */
  public List<Decision> delivered() {
    return Collections.unmodifiableList(delivered);
  }
}
