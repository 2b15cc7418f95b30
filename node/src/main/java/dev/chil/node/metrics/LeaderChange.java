package dev.chil.node.metrics;

/** Why the leader this node believes in changed between two samples, if it did. */
final class LeaderChange {
  private LeaderChange() {}

  /**
   * @return "elected_here" (this node took over), "stepped_down" (this node stopped leading),
   *     "leader_suspected" (the old leader was suspected by the failure detector), "lost" (no
   *     leader known now), "preempted" (another node took over from a leader not suspected),
   *     "first_known" (the first leader this node learned of), or null if nothing changed
   */
  static String cause(ClusterSample before, ClusterSample now) {
    if (before.leader().equals(now.leader())) {
      return null;
    }
    if (now.isLeader()) {
      return "elected_here";
    }
    if (before.isLeader()) {
      return "stepped_down";
    }
    if (before.leader().isEmpty()) {
      return "first_known";
    }
    if (now.leader().isEmpty()) {
      return "lost";
    }
    return before.suspects(before.leader()) || now.suspects(before.leader()) ? "leader_suspected" : "preempted";
  }
}
