package dev.chil.node.core.pbft.sim;

import dev.chil.node.core.common.QuorumRule;

/**
 * What a PBFT simulation runs: cluster size, how many replicas may be Byzantine, the correct
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

  public static final String REPLAY =
      "mvn -B -pl node -am test -Dtest=PbftSimulationTest -Dsim.seed=%d -Dsurefire.failIfNoSpecifiedTests=false";

  /** The real core: 4 replicas on most seeds, 7 on every fourth; up to f of them Byzantine. */
  public static SimOptions standard(long seed) {
    return new SimOptions(seed % 4 == 3 ? 7 : 4, true, ReplicaFactory.REAL, QuorumRule.BYZANTINE, false, 300, 3_000, 3,
        1_000, REPLAY);
  }

  public SimOptions withNodes(int count) {
    return new SimOptions(count, byzantine, factory, quorumRule, storageForgetsPrepared, faultTicks, livenessTicksMax,
        clients, requestsPerClient, replayCommand);
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
