package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.common.QuorumRule;

/**
 * What a simulation runs: cluster size, the replica implementation and storage behaviour (real or
 * deliberately broken), which invariants the checker enforces, and how long the phases last.
 */
public record SimOptions(
    int nodes,
    ReplicaFactory factory,
    QuorumRule quorumRule,
    boolean storageForgetsPromise,
    boolean certificateQuorumChecked,
    boolean promiseMonotonicChecked,
    int faultTicks,
    int livenessTicksMax,
    int clients,
    int requestsPerClient,
    double faultScale,
    SimCrypto.Factory crypto,
    String replayCommand) {

  public static final String REPLAY =
      "mvn -B -pl node -am test -Dtest=PaxosSimulationTest -Dsim.seed=%d -Dsurefire.failIfNoSpecifiedTests=false";

  /**
   * The real core under random faults: 3 replicas on even seeds, 5 on odd ones; four clients that
   * keep submitting through the whole fault phase, so the liveness phase starts with work left.
   */
  public static SimOptions standard(long seed) {
    return new SimOptions(seed % 2 == 0 ? 3 : 5, ReplicaFactory.REAL, QuorumRule.MAJORITY, false, true, true,
        400, 200, 4, 1_000, 1.0, HmacCrypto::new, REPLAY);
  }

  public SimOptions withNodes(int count) {
    return new SimOptions(count, factory, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, replayCommand);
  }

  public SimOptions withFactory(ReplicaFactory replicas) {
    return new SimOptions(nodes, replicas, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, replayCommand);
  }

  public SimOptions withQuorumRule(QuorumRule rule) {
    return new SimOptions(nodes, factory, rule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, replayCommand);
  }

  public SimOptions withForgetfulStorage() {
    return new SimOptions(nodes, factory, quorumRule, true, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, replayCommand);
  }

  /** Only agreement, validity, order, once-only and prefix: the violations a user would see. */
  public SimOptions withOnlyOutcomeChecks() {
    return new SimOptions(nodes, factory, quorumRule, storageForgetsPromise, false, false,
        faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, replayCommand);
  }

  public SimOptions withLoad(int clientCount, int requestsEach) {
    return new SimOptions(nodes, factory, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clientCount, requestsEach, faultScale, crypto, replayCommand);
  }

  /** Multiplies the seed's crash, restart and partition rates (capped): for rare interleavings. */
  public SimOptions withFaultScale(double scale) {
    return new SimOptions(nodes, factory, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, scale, crypto, replayCommand);
  }

  public SimOptions withCrypto(SimCrypto.Factory factory) {
    return new SimOptions(nodes, this.factory, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, factory,
        replayCommand);
  }

  public SimOptions withReplay(String command) {
    return new SimOptions(nodes, factory, quorumRule, storageForgetsPromise, certificateQuorumChecked,
        promiseMonotonicChecked, faultTicks, livenessTicksMax, clients, requestsPerClient, faultScale, crypto, command);
  }
}
