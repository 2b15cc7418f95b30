package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.policy.ClientGate;
import dev.chil.node.policy.LivePolicy;
import dev.chil.node.policy.PolicyCounters;
import dev.chil.node.policy.PolicyException;
import dev.chil.node.policy.SizeBounds;
import io.grpc.ServerInterceptor;
import java.io.IOException;

/**
 * The node's policy: loaded before anything else starts (a bad file and the node does not
 * start), watched for changes, and enforced on the consensus service by its interceptor.
 */
final class ClientPolicy implements AutoCloseable {
  private final LivePolicy live;
  private final PolicyCounters counters;
  private final ServerInterceptor interceptor;

  private ClientPolicy(LivePolicy live, PolicyCounters counters, ServerInterceptor interceptor) {
    this.live = live;
    this.counters = counters;
    this.interceptor = interceptor;
  }

  static ClientPolicy start(NodeConfig config) throws NodeStartException {
    int batchBytesMax = config.batching().bytesMax();
    SizeBounds bounds = new SizeBounds(Command.KEY_BYTES_MAX, batchBytesMax,
        new ClientLimits(batchBytesMax).messageBytesMax(), batchBytesMax);
    PolicyCounters counters = new PolicyCounters();
    LivePolicy live;
    try {
      live = LivePolicy.load(config.policyFile(), config.cluster(), bounds, counters);
    } catch (PolicyException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
    try {
      live.watch("chil-policy-" + config.nodeId());
    } catch (IOException e) {
      live.close();
      throw new NodeStartException(config.policyFile().orElseThrow() + ": cannot watch the policy file for changes: "
          + e.getMessage(), e);
    }
    return new ClientPolicy(live, counters, new ClientPolicyInterceptor(new ClientGate(live::current, counters)));
  }

  ServerInterceptor interceptor() {
    return interceptor;
  }

  /** Reads the policy file again (SIGHUP); a bad one leaves the policy in force. */
  boolean reload(String trigger) {
    return live.reload(trigger);
  }

  PolicyCounters counters() {
    return counters;
  }

  @Override
  public void close() {
    live.close();
  }
}
