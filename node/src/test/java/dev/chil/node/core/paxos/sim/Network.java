package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.common.PeerMessage;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The simulated network: every message in flight has a delivery tick; the seeded random delay and
 * tie-breaker reorder them. Drops, duplicates and blocked links (asymmetric: a→b can be cut while
 * b→a works) are decided from the same seeded source, so a seed replays exactly.
 */
final class Network {
  record InFlight(long deliverTick, long order, String from, String to, PeerMessage message) {}

  private final SplittableRandom random;
  private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
      (a, b) -> a.deliverTick != b.deliverTick ? Long.compare(a.deliverTick, b.deliverTick) : Long.compare(a.order, b.order));
  private final TreeSet<String> blocked = new TreeSet<>();
  double dropProbability;
  double duplicateProbability;
  int delayTicksMax = 1;
  long sent;
  long dropped;

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
    queue.add(new InFlight(deliverTick, random.nextLong(), from, to, message));
  }

  /** The next message due at {@code now}, or null. A message on a cut link is lost when due. */
  InFlight poll(long now) {
    while (!queue.isEmpty() && queue.peek().deliverTick <= now) {
      InFlight next = queue.poll();
      if (blocked.contains(link(next.from, next.to))) {
        dropped++;
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

  void healLinks() {
    blocked.clear();
  }

  boolean isBlocked(String from, String to) {
    return blocked.contains(link(from, to));
  }

  String describeBlocked() {
    return blocked.toString();
  }

  int inFlight() {
    return queue.size();
  }

  private static String link(String from, String to) {
    return from + "->" + to;
  }
}
