package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What a replica signs when it votes for a slot's content: "in this epoch, slot S holds the
 * commands with digest D". The epoch is the protocol's round in canonical bytes (a Paxos ballot,
 * a PBFT view), opaque here; every vote of one certificate must carry the same epoch, because
 * votes of different ballots do not together prove a decision.
 *
 * <p>Signed with {@link dev.chil.crypto.Signer} under {@link #MESSAGE_TYPE}; payload:
 * {@code u64(slot) ‖ bytes32(epoch) ‖ digest[32]}. A protocol's own messages that carry this vote
 * (paxos Accepted, pbft Commit) sign exactly these bytes, so a certificate assembled from them
 * verifies in the audit log without knowing the protocol. Other signed protocol messages must use
 * other message types, so that they can never pass as a vote.
 */
public record VoteStatement(long slot, ByteString epoch, ByteString digest) {
  public static final String MESSAGE_TYPE = "chil.vote.v1";
  public static final int DIGEST_BYTES = 32;

  public VoteStatement {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(digest, "digest");
    if (digest.size() != DIGEST_BYTES) {
      throw new IllegalArgumentException("digest must be " + DIGEST_BYTES + " bytes, not " + digest.size());
    }
  }

  public byte[] payload() {
    return new Canonical().u64(slot).bytes32(epoch.toByteArray()).raw(digest.toByteArray()).toByteArray();
  }
}
