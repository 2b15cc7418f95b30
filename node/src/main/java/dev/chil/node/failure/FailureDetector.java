package dev.chil.node.failure;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One phi-accrual detector per peer, and the threshold that turns phi into suspicion. Pure:
 * the caller passes monotonic time in milliseconds. Not thread-safe: the node's driver owns it.
 */
public final class FailureDetector {
  /** How many intervals each peer's estimate uses; about a minute of 200 ms heartbeats. */
  static final int WINDOW_SIZE = 300;

  private final SortedMap<String, PhiAccrualDetector> peers = new TreeMap<>();
  private final double suspectThreshold;

  /**
   * @param peerIds the peers to watch (not this node)
   * @param heartbeatIntervalMillis how often peers send heartbeats
   * @param suspectThreshold phi above which a peer is suspected; 8 means the chance that it is
   *     merely late is 1e-8
   */
  public FailureDetector(Iterable<String> peerIds, long heartbeatIntervalMillis, double suspectThreshold) {
    if (!(suspectThreshold > 0)) {
      throw new IllegalArgumentException("suspect threshold must be positive, not " + suspectThreshold);
    }
    this.suspectThreshold = suspectThreshold;
    for (String peer : peerIds) {
      // A quarter interval of spread at least, and one interval of pause allowed: one lost
      // heartbeat alone must not make a peer suspect.
      peers.put(peer, new PhiAccrualDetector(
          WINDOW_SIZE, heartbeatIntervalMillis, Math.max(1, heartbeatIntervalMillis / 4), heartbeatIntervalMillis));
    }
  }

  /** A heartbeat (or any message) from a peer arrived; unknown peers are ignored. */
  public void heartbeat(String peer, long nowMillis) {
    PhiAccrualDetector detector = peers.get(peer);
    if (detector != null) {
      detector.heartbeat(nowMillis);
    }
  }

  public double phi(String peer, long nowMillis) {
    PhiAccrualDetector detector = peers.get(peer);
    if (detector == null) {
      throw new IllegalArgumentException("not a watched peer: " + peer);
    }
    return detector.phi(nowMillis);
  }

  public boolean isSuspected(String peer, long nowMillis) {
    return phi(peer, nowMillis) > suspectThreshold;
  }

  /** The suspected peers, in name order. */
  public SortedSet<String> suspected(long nowMillis) {
    SortedSet<String> suspected = new TreeSet<>();
    for (Map.Entry<String, PhiAccrualDetector> peer : peers.entrySet()) {
      if (peer.getValue().phi(nowMillis) > suspectThreshold) {
        suspected.add(peer.getKey());
      }
    }
    return Collections.unmodifiableSortedSet(suspected);
  }

  /** Every peer's phi now, in name order: what the Status call reports. */
  public SortedMap<String, Double> phis(long nowMillis) {
    SortedMap<String, Double> phis = new TreeMap<>();
    peers.forEach((peer, detector) -> phis.put(peer, detector.phi(nowMillis)));
    return Collections.unmodifiableSortedMap(phis);
  }
}
