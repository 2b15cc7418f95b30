package dev.chil.node.core.pbft;

import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.Roster;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PBFT replica's settings, validated once. Times are in ticks; the driver sets the tick length.
 *
 * @param self this replica's node name, a roster member
 * @param roster n = 3f+1 members of weight 1; the primary of view v is member v mod n in name order
 * @param quorumRule 2f+1 of n ({@link QuorumRule#BYZANTINE}); an object only so a teeth test can break it
 * @param requestTimeoutTicks how long a known request may wait unexecuted before a view change
 * @param viewChangeTimeoutTicks how long to wait for a NewView once 2f+1 ViewChanges are in;
 *     doubles with every successive view change that brings no progress
 * @param retransmitTicks how often unfinished work (own PrePrepares, Prepares, Commits,
 *     ViewChanges) is sent again, and a catch-up fetch may be repeated
 * @param checkpointInterval K: a checkpoint after every K executed sequence numbers
 * @param watermarkWindow L: sequence numbers accepted are [h, h + L), h the stable checkpoint
 * @param batchCommandsMax requests per PrePrepare
 * @param batchDelayTicks how long the primary lets a non-full batch wait for more requests
 * @param pendingRequestsMax requests a replica tracks before refusing more
 * @param retainedSequences executed sequence numbers kept, with certificates, to serve catch-up
 * @param catchUpSequencesMax executed sequence numbers per catch-up reply
 * @param clientsMax, requestsPerClientMax bounds of the deduplication table
 */
public record PbftConfig(
    String self,
    Roster roster,
    QuorumRule quorumRule,
    int requestTimeoutTicks,
    int viewChangeTimeoutTicks,
    int retransmitTicks,
    int checkpointInterval,
    int watermarkWindow,
    int batchCommandsMax,
    int batchDelayTicks,
    int pendingRequestsMax,
    int retainedSequences,
    int catchUpSequencesMax,
    int clientsMax,
    int requestsPerClientMax) {

  public PbftConfig {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(roster, "roster");
    Objects.requireNonNull(quorumRule, "quorumRule");
    List<String> errors = new ArrayList<>();
    if (!roster.contains(self)) {
      errors.add("self '" + self + "' is not in the roster");
    }
    int n = roster.size();
    if (n < 4 || (n - 1) % 3 != 0) {
      errors.add("pbft needs n = 3f+1 nodes with f >= 1 (4, 7, 10, ...), not " + n);
    }
    if (roster.totalWeight() != n) {
      errors.add("pbft needs every node at weight 1; the roster weighs " + roster.totalWeight() + " for " + n
          + " nodes");
    }
    atLeast(errors, "requestTimeoutTicks", requestTimeoutTicks, 2);
    atLeast(errors, "viewChangeTimeoutTicks", viewChangeTimeoutTicks, 2);
    atLeast(errors, "retransmitTicks", retransmitTicks, 1);
    atLeast(errors, "checkpointInterval", checkpointInterval, 1);
    atLeast(errors, "batchCommandsMax", batchCommandsMax, 1);
    atLeast(errors, "batchDelayTicks", batchDelayTicks, 0);
    atLeast(errors, "pendingRequestsMax", pendingRequestsMax, 1);
    atLeast(errors, "catchUpSequencesMax", catchUpSequencesMax, 1);
    atLeast(errors, "clientsMax", clientsMax, 1);
    atLeast(errors, "requestsPerClientMax", requestsPerClientMax, 1);
    if (watermarkWindow < 2L * checkpointInterval) {
      errors.add("watermarkWindow must be at least twice checkpointInterval (" + 2L * checkpointInterval
          + "), not " + watermarkWindow + ": else the window fills before a checkpoint can become stable");
    }
    if (watermarkWindow > PbftMessage.ENTRIES_MAX) {
      errors.add("watermarkWindow must be at most " + PbftMessage.ENTRIES_MAX);
    }
    if (retainedSequences < watermarkWindow) {
      errors.add("retainedSequences must be at least watermarkWindow (" + watermarkWindow + ")");
    }
    if (batchCommandsMax > PbftMessage.COMMANDS_MAX) {
      errors.add("batchCommandsMax must be at most " + PbftMessage.COMMANDS_MAX);
    }
    if (catchUpSequencesMax > PbftMessage.ENTRIES_MAX) {
      errors.add("catchUpSequencesMax must be at most " + PbftMessage.ENTRIES_MAX);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid PBFT config: " + String.join("; ", errors));
    }
  }

  /** Settings for a LAN cluster with a 10 ms tick. */
  public static PbftConfig defaults(String self, Roster roster) {
    return new PbftConfig(self, roster, QuorumRule.BYZANTINE, 100, 100, 10, 64, 256, 100, 0, 10_000, 4096, 256,
        100_000, 128);
  }

  /** f: how many Byzantine replicas the roster tolerates. */
  public int faultsTolerated() {
    return (roster.size() - 1) / 3;
  }

  /** The primary of {@code view}: member {@code view mod n} in name order. */
  public String primary(long view) {
    int index = (int) Math.floorMod(view, (long) roster.size());
    return new ArrayList<>(roster.names()).get(index);
  }

  public PbftConfig withSelf(String otherSelf) {
    return new PbftConfig(otherSelf, roster, quorumRule, requestTimeoutTicks, viewChangeTimeoutTicks,
        retransmitTicks, checkpointInterval, watermarkWindow, batchCommandsMax, batchDelayTicks, pendingRequestsMax,
        retainedSequences, catchUpSequencesMax, clientsMax, requestsPerClientMax);
  }

  public PbftConfig withQuorumRule(QuorumRule rule) {
    return new PbftConfig(self, roster, rule, requestTimeoutTicks, viewChangeTimeoutTicks, retransmitTicks,
        checkpointInterval, watermarkWindow, batchCommandsMax, batchDelayTicks, pendingRequestsMax,
        retainedSequences, catchUpSequencesMax, clientsMax, requestsPerClientMax);
  }

  public PbftConfig withTiming(int requestTicks, int viewChangeTicks, int resendTicks) {
    return new PbftConfig(self, roster, quorumRule, requestTicks, viewChangeTicks, resendTicks, checkpointInterval,
        watermarkWindow, batchCommandsMax, batchDelayTicks, pendingRequestsMax, retainedSequences,
        catchUpSequencesMax, clientsMax, requestsPerClientMax);
  }

  public PbftConfig withCheckpoints(int interval, int window) {
    return new PbftConfig(self, roster, quorumRule, requestTimeoutTicks, viewChangeTimeoutTicks, retransmitTicks,
        interval, window, batchCommandsMax, batchDelayTicks, pendingRequestsMax, retainedSequences,
        catchUpSequencesMax, clientsMax, requestsPerClientMax);
  }

  public PbftConfig withBatching(int commandsMax, int delayTicks) {
    return new PbftConfig(self, roster, quorumRule, requestTimeoutTicks, viewChangeTimeoutTicks, retransmitTicks,
        checkpointInterval, watermarkWindow, commandsMax, delayTicks, pendingRequestsMax, retainedSequences,
        catchUpSequencesMax, clientsMax, requestsPerClientMax);
  }

  public PbftConfig withMemory(int retained, int catchUpMax, int pendingMax) {
    return new PbftConfig(self, roster, quorumRule, requestTimeoutTicks, viewChangeTimeoutTicks, retransmitTicks,
        checkpointInterval, watermarkWindow, batchCommandsMax, batchDelayTicks, pendingMax, retained, catchUpMax,
        clientsMax, requestsPerClientMax);
  }

  private static void atLeast(List<String> errors, String name, long value, long min) {
    if (value < min) {
      errors.add(name + " must be at least " + min + ", not " + value);
    }
  }
}
