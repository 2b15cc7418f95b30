package dev.chil.node.core.paxos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's linearizable reads. A read that arrives when the leader's next slot is {@code s}
 * waits until a slot at or after {@code s} that this leader proposed reaches a quorum in its
 * ballot: that proves it still led after the read began, so every write acknowledged before the
 * read is in a slot below (a later leader's decision would have had to outvote this quorum). The
 * read is then ready once that slot is delivered here. Learning a slot from another leader proves
 * nothing, which is why only this leader's own quorums confirm.
 *
 * <p>Bounded; ordered maps only, so the core stays deterministic.
 */
final class ReadBarriers {
  private final int waitingMax;
  // From slot → read ids waiting for an own quorum at or after that slot.
  private final TreeMap<Long, List<Long>> waiting = new TreeMap<>();
  // Confirmed slot → read ids ready once that slot is delivered.
  private final TreeMap<Long, List<Long>> confirmed = new TreeMap<>();
  private int size;

  ReadBarriers(int waitingMax) {
    this.waitingMax = waitingMax;
  }

  /** False when too many reads wait already. */
  boolean add(long id, long fromSlot) {
    if (size >= waitingMax) {
      return false;
    }
    waiting.computeIfAbsent(fromSlot, slot -> new ArrayList<>()).add(id);
    size++;
    return true;
  }

  /** A proposal of this leader for {@code slot} reached a quorum in its ballot. */
  void ownQuorum(long slot) {
    Map<Long, List<Long>> covered = waiting.headMap(slot, true);
    if (covered.isEmpty()) {
      return;
    }
    List<Long> ids = confirmed.computeIfAbsent(slot, s -> new ArrayList<>());
    covered.values().forEach(ids::addAll);
    covered.clear();
  }

  /** The reads whose confirming slot is now delivered ({@code nextToDeliver} is past it). */
  List<Long> ready(long nextToDeliver) {
    Map<Long, List<Long>> delivered = confirmed.headMap(nextToDeliver, false);
    List<Long> ids = new ArrayList<>();
    delivered.values().forEach(ids::addAll);
    delivered.clear();
    size -= ids.size();
    return ids;
  }

  /** The highest slot a waiting read needs a proposal at or after, or -1 when none waits. */
  long neededFromSlot() {
    return waiting.isEmpty() ? -1 : waiting.lastKey();
  }

  /** Every read, waiting or confirmed: this replica stopped leading and can vouch for none. */
  List<Long> abandon() {
    List<Long> ids = new ArrayList<>();
    waiting.values().forEach(ids::addAll);
    confirmed.values().forEach(ids::addAll);
    waiting.clear();
    confirmed.clear();
    size = 0;
    return ids;
  }
}
