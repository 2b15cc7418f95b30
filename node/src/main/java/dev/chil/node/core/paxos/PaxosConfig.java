package dev.chil.node.core.paxos;

import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.Roster;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Paxos replica's settings, validated once. Times are in ticks; the driver sets the tick length.
 *
 * @param self this replica's node name, a roster member
 * @param electionTimeoutTicks silence from the leader after which a follower stands for election
 * @param electionBackoffTicksMax random extra wait (from {@code seed}) so candidates do not duel
 * @param heartbeatIntervalTicks how often a leader announces itself and its delivered slots
 * @param retransmitTicks after how long an unanswered Prepare, Accept or catch-up is sent again
 * @param batchCommandsMax commands per slot
 * @param batchBytesMax command bytes per slot (one larger command is refused)
 * @param batchDelayTicks how long a non-full batch may wait for more commands
 * @param pipelineSlotsMax slots a leader has in flight (proposed, not decided)
 * @param pendingCommandsMax commands a leader queues before refusing more
 * @param retainedSlots delivered slots kept in memory to serve catch-up and phase 1
 * @param catchUpSlotsMax decided slots per catch-up reply
 * @param clientsMax, requestsPerClientMax bounds of the deduplication table
 * @param seed seeds the election backoff; distinct per node
 */
public record PaxosConfig(
    String self,
    Roster roster,
    QuorumRule quorumRule,
    int electionTimeoutTicks,
    int electionBackoffTicksMax,
    int heartbeatIntervalTicks,
    int retransmitTicks,
    int batchCommandsMax,
    int batchBytesMax,
    int batchDelayTicks,
    int pipelineSlotsMax,
    int pendingCommandsMax,
    int retainedSlots,
    int catchUpSlotsMax,
    int clientsMax,
    int requestsPerClientMax,
    long seed) {

  public PaxosConfig {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(roster, "roster");
    Objects.requireNonNull(quorumRule, "quorumRule");
    List<String> errors = new ArrayList<>();
    if (!roster.contains(self)) {
      errors.add("self '" + self + "' is not in the roster");
    }
    atLeast(errors, "electionTimeoutTicks", electionTimeoutTicks, 2);
    atLeast(errors, "electionBackoffTicksMax", electionBackoffTicksMax, 1);
    atLeast(errors, "heartbeatIntervalTicks", heartbeatIntervalTicks, 1);
    atLeast(errors, "retransmitTicks", retransmitTicks, 1);
    atLeast(errors, "batchCommandsMax", batchCommandsMax, 1);
    atLeast(errors, "batchBytesMax", batchBytesMax, 64);
    atLeast(errors, "batchDelayTicks", batchDelayTicks, 0);
    atLeast(errors, "pipelineSlotsMax", pipelineSlotsMax, 1);
    atLeast(errors, "pendingCommandsMax", pendingCommandsMax, 1);
    atLeast(errors, "retainedSlots", retainedSlots, 1);
    atLeast(errors, "catchUpSlotsMax", catchUpSlotsMax, 1);
    atLeast(errors, "clientsMax", clientsMax, 1);
    atLeast(errors, "requestsPerClientMax", requestsPerClientMax, 1);
    if (heartbeatIntervalTicks >= electionTimeoutTicks) {
      errors.add("heartbeatIntervalTicks must be below electionTimeoutTicks");
    }
    if (batchCommandsMax > PaxosMessage.COMMANDS_MAX) {
      errors.add("batchCommandsMax must be at most " + PaxosMessage.COMMANDS_MAX);
    }
    if (catchUpSlotsMax > PaxosMessage.ENTRIES_MAX) {
      errors.add("catchUpSlotsMax must be at most " + PaxosMessage.ENTRIES_MAX);
    }
    if (2L * retainedSlots > PaxosMessage.ENTRIES_MAX) {
      errors.add("retainedSlots must be at most " + PaxosMessage.ENTRIES_MAX / 2
          + " (a Promise carries up to twice as many accepted slots)");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid Paxos config: " + String.join("; ", errors));
    }
  }

  /** Settings for a LAN cluster with a 10 ms tick. */
  public static PaxosConfig defaults(String self, Roster roster, long seed) {
    return new PaxosConfig(self, roster, QuorumRule.MAJORITY, 30, 30, 5, 10, 100, 1 << 20, 0, 16,
        10_000, 1024, 256, 100_000, 128, seed);
  }

  public PaxosConfig withSelf(String otherSelf, long otherSeed) {
    return new PaxosConfig(otherSelf, roster, quorumRule, electionTimeoutTicks, electionBackoffTicksMax,
        heartbeatIntervalTicks, retransmitTicks, batchCommandsMax, batchBytesMax, batchDelayTicks,
        pipelineSlotsMax, pendingCommandsMax, retainedSlots, catchUpSlotsMax, clientsMax,
        requestsPerClientMax, otherSeed);
  }

  public PaxosConfig withQuorumRule(QuorumRule rule) {
    return new PaxosConfig(self, roster, rule, electionTimeoutTicks, electionBackoffTicksMax,
        heartbeatIntervalTicks, retransmitTicks, batchCommandsMax, batchBytesMax, batchDelayTicks,
        pipelineSlotsMax, pendingCommandsMax, retainedSlots, catchUpSlotsMax, clientsMax,
        requestsPerClientMax, seed);
  }

  public PaxosConfig withBatching(int commandsMax, int bytesMax, int delayTicks, int pipelineMax) {
    return new PaxosConfig(self, roster, quorumRule, electionTimeoutTicks, electionBackoffTicksMax,
        heartbeatIntervalTicks, retransmitTicks, commandsMax, bytesMax, delayTicks, pipelineMax,
        pendingCommandsMax, retainedSlots, catchUpSlotsMax, clientsMax, requestsPerClientMax, seed);
  }

  public PaxosConfig withTiming(int electionTicks, int backoffTicksMax, int heartbeatTicks, int resendTicks) {
    return new PaxosConfig(self, roster, quorumRule, electionTicks, backoffTicksMax, heartbeatTicks,
        resendTicks, batchCommandsMax, batchBytesMax, batchDelayTicks, pipelineSlotsMax,
        pendingCommandsMax, retainedSlots, catchUpSlotsMax, clientsMax, requestsPerClientMax, seed);
  }

  public PaxosConfig withMemory(int slotsRetained, int catchUpMax, int pendingMax) {
    return new PaxosConfig(self, roster, quorumRule, electionTimeoutTicks, electionBackoffTicksMax,
        heartbeatIntervalTicks, retransmitTicks, batchCommandsMax, batchBytesMax, batchDelayTicks,
        pipelineSlotsMax, pendingMax, slotsRetained, catchUpMax, clientsMax, requestsPerClientMax, seed);
  }

  private static void atLeast(List<String> errors, String name, long value, long min) {
    if (value < min) {
      errors.add(name + " must be at least " + min + ", not " + value);
    }
  }
}
