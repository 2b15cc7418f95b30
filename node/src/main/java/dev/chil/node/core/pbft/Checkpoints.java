package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.node.core.common.Quorum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints: this replica's own (sequence to state digest), the signed ones others sent, and the
 * stable one, whose sequence is the low watermark h. A checkpoint is stable once 2f+1 replicas
 * signed the same state for it. Holds only sequences in (h, h + span]: bounded.
 */
final class Checkpoints {
  private final Quorum quorum;
  private final long span;
  private CheckpointProof stable = CheckpointProof.GENESIS;
  private PbftMessage.Checkpoint latestOwn;
  private final TreeMap<Long, PbftMessage.Checkpoint> own = new TreeMap<>();
  private final TreeMap<Long, TreeMap<String, PbftMessage.Checkpoint>> received = new TreeMap<>();

  Checkpoints(Quorum quorum, long span) {
    this.quorum = quorum;
    this.span = span;
  }

  CheckpointProof stable() {
    return stable;
  }

  long low() {
    return stable.sequence();
  }

  boolean holds(long sequence) {
    return sequence > stable.sequence() && sequence <= stable.sequence() + span;
  }

  void own(PbftMessage.Checkpoint checkpoint) {
    own.put(checkpoint.sequence(), checkpoint);
    latestOwn = checkpoint;
  }

  /**
   * This replica's latest checkpoint, stable or not, to send again: until it is stable, so that it
   * becomes stable despite losses; after, so that a replica that missed everything since learns
   * how far the others got and fetches. Null before the first.
   */
  PbftMessage.Checkpoint latestOwn() {
    return latestOwn;
  }

  /** Records a verified checkpoint; returns the proof when it makes its sequence stable, else null. */
  CheckpointProof add(PbftMessage.Checkpoint checkpoint) {
    if (!holds(checkpoint.sequence())) {
      return null;
    }
    TreeMap<String, PbftMessage.Checkpoint> bySender = received.computeIfAbsent(checkpoint.sequence(), s -> new TreeMap<>());
    bySender.putIfAbsent(checkpoint.replica(), checkpoint);
    List<PbftMessage.Checkpoint> matching = new ArrayList<>();
    List<String> signers = new ArrayList<>();
    for (PbftMessage.Checkpoint known : bySender.values()) {
      if (known.stateDigest().equals(checkpoint.stateDigest())) {
        matching.add(known);
        signers.add(known.replica());
      }
    }
    if (!quorum.reached(signers)) {
      return null;
    }
    return new CheckpointProof(checkpoint.sequence(), checkpoint.stateDigest(), matching);
  }

  /** Makes a (checked) proof stable if it is above the current one; true when it moved. */
  boolean makeStable(CheckpointProof proof) {
    if (proof.sequence() <= stable.sequence()) {
      return false;
    }
    stable = proof;
    own.headMap(proof.sequence(), true).clear();
    received.headMap(proof.sequence(), true).clear();
    return true;
  }

  /** This replica's own state digest at {@code sequence}, if it took that checkpoint and it is held. */
  ByteString ownDigest(long sequence) {
    PbftMessage.Checkpoint checkpoint = own.get(sequence);
    return checkpoint == null ? null : checkpoint.stateDigest();
  }

  int heldSequences() {
    int count = 0;
    for (Map<String, PbftMessage.Checkpoint> map : received.values()) {
      count += map.size();
    }
    return count;
  }
}
