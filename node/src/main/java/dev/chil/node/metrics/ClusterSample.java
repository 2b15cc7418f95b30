package dev.chil.node.metrics;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the node stood at one moment, read on the driver thread: the state metrics are sampled from
 * rather than pushed by the core, which stays pure.
 *
 * @param leader who this node believes leads now, or empty
 * @param ballot the highest ballot this node has promised, as text
 * @param suspected whether the failure detector suspects each peer now
 * @param phi the failure detector's suspicion of each peer
 */
public record ClusterSample(boolean isLeader, String leader, String ballot, long slotsInFlight, long deliveredUpTo,
    long auditHeadIndex, int waitingClients, SortedMap<String, Double> phi, SortedMap<String, Boolean> connected,
    SortedMap<String, Boolean> suspected) {

  public ClusterSample {
    phi = new TreeMap<>(phi);
    connected = new TreeMap<>(connected);
    suspected = new TreeMap<>(suspected);
  }

  static ClusterSample empty() {
    return new ClusterSample(false, "", "", 0, 0, 0, 0, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  boolean suspects(String peer) {
    return suspected.getOrDefault(peer, false);
  }
}
