package dev.chil.node.core.pbft.sim;

import dev.chil.node.core.common.PeerMessage;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The simulated network: every message in flight has a delivery tick; a seeded delay and
 * tie-breaker reorder them, a few arrive far past every timeout, some are dropped or duplicated,
 * and links can be cut one way. All from one seeded source, so a seed replays exactly.
 */
final class SimNetwork {
  record InFlight(long deliverTick, long order, String from, String to, PeerMessage message) {}

  private final SplittableRandom random;
  private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
      (a, b) -> a.deliverTick != b.deliverTick ? Long.compare(a.deliverTick, b.deliverTick) : Long.compare(a.order, b.order));
  private final TreeSet<String> blocked = new TreeSet<>();
  double dropProbability;
  double duplicateProbability;
  double lateProbability;
  int delayTicksMax = 1;
  long sent;

  SimNetwork(SplittableRandom random) {
    this.random = random;
  }

  void send(long now, String from, String to, PeerMessage message) {
    sent++;
    if (random.nextDouble() < dropProbability) {
      return;
    }
    enqueue(now, from, to, message);
    if (random.nextDouble() < duplicateProbability) {
      enqueue(now, from, to, message);
    }
  }

  private void enqueue(long now, String from, String to, PeerMessage message) {
    long delay = 1 + random.nextInt(delayTicksMax);
    if (random.nextDouble() < lateProbability) {
      delay += 40 + random.nextInt(200); // far past every timeout
    }
    queue.add(new InFlight(now + delay, random.nextLong(), from, to, message));
  }

  /** The next message due at {@code now}, or null. A message on a cut link is lost when due. */
  InFlight poll(long now) {
    while (!queue.isEmpty() && queue.peek().deliverTick <= now) {
      InFlight next = queue.poll();
      if (!blocked.contains(next.from + "->" + next.to)) {
        return next;
      }
    }
    return null;
  }

  void block(String from, String to) {
    blocked.add(from + "->" + to);
  }

  void healLinks() {
    blocked.clear();
  }

  String describeBlocked() {
    return blocked.toString();
  }

  int inFlight() {
    return queue.size();
  }
}
