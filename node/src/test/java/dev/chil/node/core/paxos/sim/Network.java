package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.common.PeerMessage;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated network: every message in flight has a delivery tick; the seeded random delay and
 * tie-breaker reorder them. Drops, duplicates, late deliveries and blocked links (asymmetric: a→b
 * can be cut while b→a works) are decided from the same seeded source, so a seed replays exactly.
 *
 * <p>Late delivery, as the real transport does it: a share of messages is held far past the
 * election timeout, and, when {@link #holdOnCut} is set, a cut link keeps what it was asked to
 * deliver (up to {@link #HELD_PER_LINK_MAX}, like {@code PeerLink}'s queue) and releases it in
 * one burst, in send order, when the link heals.
 */
final class Network {
  record InFlight(long deliverTick, long order, String from, String to, PeerMessage message) {}

  /** What one cut link holds at most, as the real peer link's queue. */
  static final int HELD_PER_LINK_MAX = 10_000;

  private final SplittableRandom random;
  private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
      (a, b) -> a.deliverTick != b.deliverTick ? Long.compare(a.deliverTick, b.deliverTick) : Long.compare(a.order, b.order));
  private final TreeSet<String> blocked = new TreeSet<>();
  // Per cut link, what it holds for delivery after it heals, in send order.
  private final TreeMap<String, ArrayDeque<InFlight>> held = new TreeMap<>();
  private long burstOrder = Long.MIN_VALUE;
  double dropProbability;
  double duplicateProbability;
  double lateProbability;
  int lateTicksMax = 100;
  int delayTicksMax = 1;
  boolean holdOnCut;
  long sent;
  long dropped;
  long late;
  long releasedAfterHealing;

  Network(SplittableRandom random) {
    this.random = random;
  }

  void send(long now, String from, String to, PeerMessage message) {
    sent++;
    if (random.nextDouble() < dropProbability) {
      dropped++;
      return;
    }
    enqueue(now, from, to, message);
    if (random.nextDouble() < duplicateProbability) {
      enqueue(now, from, to, message);
    }
  }

  private void enqueue(long now, String from, String to, PeerMessage message) {
    // At least one tick: a reply never arrives in the tick its request was sent.
    long deliverTick = now + 1 + random.nextInt(delayTicksMax);
    if (lateProbability > 0 && random.nextDouble() < lateProbability) {
      late++;
      deliverTick += 20 + random.nextInt(lateTicksMax); // past any election timeout and backoff
    }
    queue.add(new InFlight(deliverTick, random.nextLong(), from, to, message));
  }

  /** The next message due at {@code now}, or null. A message on a cut link is held or lost when due. */
  InFlight poll(long now) {
    while (!queue.isEmpty() && queue.peek().deliverTick <= now) {
      InFlight next = queue.poll();
      String link = link(next.from, next.to);
      if (blocked.contains(link)) {
        ArrayDeque<InFlight> waiting = held.computeIfAbsent(link, key -> new ArrayDeque<>());
        if (holdOnCut && waiting.size() < HELD_PER_LINK_MAX) {
          waiting.add(next);
        } else {
          dropped++;
        }
        continue;
      }
      return next;
    }
    return null;
  }

  void block(String from, String to) {
    blocked.add(link(from, to));
  }

  void isolate(String node, Iterable<String> nodes) {
    for (String other : nodes) {
      if (!other.equals(node)) {
        block(node, other);
        block(other, node);
      }
    }
  }

  /** Heals every link; what cut links held arrives next tick, a burst per link in send order. */
  void healLinks(long now) {
    blocked.clear();
    for (ArrayDeque<InFlight> waiting : held.values()) {
      for (InFlight message : waiting) {
        releasedAfterHealing++;
        queue.add(new InFlight(now + 1, burstOrder++, message.from, message.to, message.message));
      }
    }
    held.clear();
  }

  boolean isBlocked(String from, String to) {
    return blocked.contains(link(from, to));
  }

  String describeBlocked() {
    return blocked.toString();
  }

  int inFlight() {
    int count = queue.size();
    for (ArrayDeque<InFlight> waiting : held.values()) {
      count += waiting.size();
    }
    return count;
  }

  private static String link(String from, String to) {
    return from + "->" + to;
  }
}
