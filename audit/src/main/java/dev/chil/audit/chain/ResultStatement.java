package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/**
 * What a pbft replica signs to vouch for the results of a slot it executed: "slot S, whose
 * commands have digest D, gave the results whose Merkle root is R" ({@link CommandOutcome}
 * leaves, in the order of the slot's commands). Signed under {@link #MESSAGE_TYPE}, a type of its
 * own so that it can never pass as a vote; payload {@code u64(slot) ‖ slot digest[32] ‖ R[32]}.
 */
public record ResultStatement(long slot, ByteString slotDigest, ByteString resultsRoot) {
  public static final String MESSAGE_TYPE = "chil.result.v1";

  public ResultStatement {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
    requireHash(slotDigest, "slot digest");
    requireHash(resultsRoot, "results root");
  }

  public static ResultStatement of(long slot, ByteString slotDigest, List<CommandOutcome> outcomes) {
    return new ResultStatement(slot, slotDigest, MerkleTree.root(outcomes.stream().map(CommandOutcome::leafHash).toList()));
  }

  public byte[] payload() {
    return new Canonical().u64(slot).raw(slotDigest.toByteArray()).raw(resultsRoot.toByteArray()).toByteArray();
  }

  static void requireHash(ByteString hash, String what) {
    Objects.requireNonNull(hash, what);
    if (hash.size() != ChainHash.HASH_BYTES) {
      throw new IllegalArgumentException(what + " must be 32 bytes, not " + hash.size());
    }
  }
}
