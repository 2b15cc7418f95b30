package dev.chil.node.assembly;

import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.PaxosConfig;
import java.time.Duration;

/** Turns a node's config (durations) into the Paxos core's settings (ticks). */
final class PaxosSettings {
  /** The driver's tick: the core's unit of time. */
  static final Duration TICK = Duration.ofMillis(10);
  /** A follower stands for election after this many missed leader heartbeats. */
  static final int ELECTION_TIMEOUT_HEARTBEATS = 6;

  private PaxosSettings() {}

  static PaxosConfig from(NodeConfig config, Roster roster, long seed) {
    int heartbeatTicks = Math.max(1, ticks(config.faultTolerance().heartbeatInterval()));
    int electionTicks = Math.max(heartbeatTicks * ELECTION_TIMEOUT_HEARTBEATS, 20);
    PaxosConfig defaults = PaxosConfig.defaults(config.nodeId(), roster, seed);
    return new PaxosConfig(
        config.nodeId(),
        roster,
        QuorumRule.MAJORITY,
        electionTicks,
        electionTicks,
        heartbeatTicks,
        Math.max(defaults.retransmitTicks(), 2 * heartbeatTicks),
        config.batching().commandsMax(),
        config.batching().bytesMax(),
        ticks(config.batching().delayMax()),
        defaults.pipelineSlotsMax(),
        defaults.pendingCommandsMax(),
        config.protocol().retainedSlots(),
        defaults.catchUpSlotsMax(),
        defaults.clientsMax(),
        defaults.requestsPerClientMax(),
        seed);
  }

  static int ticks(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis() / TICK.toMillis());
  }
}
