package dev.chil.node.assembly;

import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.pbft.PbftConfig;
import java.time.Duration;

/**
 * Turns a node's config (durations) into the PBFT core's settings (ticks), from the keys both
 * protocols share: a request waits unexecuted for twice the Paxos election timeout (six heartbeat
 * intervals, at least 200 ms) before its replica asks for a view change, and as long again for the
 * NewView (doubling per fruitless view change); batches are bounded by {@code batching}, and
 * {@code protocol.retained_slots} executed sequence numbers are kept to serve catch-up.
 */
final class PbftSettings {
  static final Duration TICK = PaxosSettings.TICK;
  /** The least request timeout: a busy machine must not start view changes on every slow turn. */
  static final int REQUEST_TIMEOUT_TICKS_MIN = 50;

  private PbftSettings() {}

  static PbftConfig from(NodeConfig config, Roster roster) {
    PbftConfig defaults = PbftConfig.defaults(config.nodeId(), roster);
    int heartbeatTicks = Math.max(1, PaxosSettings.ticks(config.faultTolerance().heartbeatInterval()));
    int electionTicks = Math.max(heartbeatTicks * PaxosSettings.ELECTION_TIMEOUT_HEARTBEATS, 20);
    int requestTicks = Math.max(2 * electionTicks, REQUEST_TIMEOUT_TICKS_MIN);
    int window = defaults.watermarkWindow();
    return new PbftConfig(
        config.nodeId(),
        roster,
        QuorumRule.BYZANTINE,
        requestTicks,
        requestTicks,
        Math.max(defaults.retransmitTicks(), 2 * heartbeatTicks),
        defaults.checkpointInterval(),
        window,
        Math.min(config.batching().commandsMax(), dev.chil.node.core.pbft.PbftMessage.COMMANDS_MAX),
        PaxosSettings.ticks(config.batching().delayMax()),
        defaults.pendingRequestsMax(),
        Math.max(config.protocol().retainedSlots(), window),
        defaults.catchUpSequencesMax(),
        defaults.clientsMax(),
        defaults.requestsPerClientMax());
  }
}
