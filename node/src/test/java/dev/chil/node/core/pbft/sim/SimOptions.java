package dev.chil.node.core.pbft.sim;

import dev.chil.node.core.common.QuorumRule;

/**
 * What a PBFT simulation runs: cluster size, whether up to f replicas may be Byzantine, the correct
 * replicas' implementation and storage (real or deliberately broken), and how long the phases last.
 */
public record SimOptions(
    int nodes,
    boolean byzantine,
    ReplicaFactory factory,
    QuorumRule quorumRule,
    boolean storageForgetsPrepared,
    int faultTicks,
    int livenessTicksMax,
    int clients,
    int requestsPerClient,
    String replayCommand) {

  /** A failure's replay line: the test method that runs its cluster size, and its seed. */
  static final String REPLAY = "mvn -B -pl node -am test -Dtest=PbftSimulationTest#%s -Dsim.seed=%%d"
      + " -Dsurefire.failIfNoSpecifiedTests=false";

  /**
   * The real core on the cluster sizes the suite runs, 4 (f = 1) or 7 (f = 2) replicas, of which
   * up to f are Byzantine: how many, and how they lie, the seed picks.
   */
  public static SimOptions standard(int nodes) {
    if (nodes != 4 && nodes != 7) {
      throw new IllegalArgumentException("the PBFT simulation runs 4 or 7 replicas, not " + nodes);
    }
    return new SimOptions(nodes, true, ReplicaFactory.REAL, QuorumRule.BYZANTINE, false, 300, 3_000, 3, 1_000,
        String.format(REPLAY, nodes == 4 ? "fourReplicasSafeAndLive" : "sevenReplicasSafeAndLive"));
  }

  public SimOptions withFactory(ReplicaFactory replicas) {
    return new SimOptions(nodes, byzantine, replicas, quorumRule, storageForgetsPrepared, faultTicks, livenessTicksMax,
        clients, requestsPerClient, replayCommand);
  }

  public SimOptions withQuorumRule(QuorumRule rule) {
    return new SimOptions(nodes, byzantine, factory, rule, storageForgetsPrepared, faultTicks, livenessTicksMax,
        clients, requestsPerClient, replayCommand);
  }

  public SimOptions withForgetfulStorage() {
    return new SimOptions(nodes, byzantine, factory, quorumRule, true, faultTicks, livenessTicksMax, clients,
        requestsPerClient, replayCommand);
  }

  public SimOptions withoutByzantine() {
    return new SimOptions(nodes, false, factory, quorumRule, storageForgetsPrepared, faultTicks, livenessTicksMax,
        clients, requestsPerClient, replayCommand);
  }

  public SimOptions withReplay(String command) {
    return new SimOptions(nodes, byzantine, factory, quorumRule, storageForgetsPrepared, faultTicks, livenessTicksMax,
        clients, requestsPerClient, command);
  }
}
