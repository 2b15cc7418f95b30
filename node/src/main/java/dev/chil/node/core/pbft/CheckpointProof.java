package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/**
 * A stable checkpoint: every sequence number below {@code sequence} executed, leaving a state of
 * digest {@code stateDigest}, shown by 2f+1 signed Checkpoints. The initial state (sequence 0,
 * {@link StateDigest#GENESIS}) needs no proof.
 */
public record CheckpointProof(long sequence, ByteString stateDigest, List<PbftMessage.Checkpoint> checkpoints) {
  public static final CheckpointProof GENESIS = new CheckpointProof(0, StateDigest.GENESIS, List.of());

  public CheckpointProof {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
    Objects.requireNonNull(stateDigest, "stateDigest");
    checkpoints = List.copyOf(checkpoints);
  }
}
