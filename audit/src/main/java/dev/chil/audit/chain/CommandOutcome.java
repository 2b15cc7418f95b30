package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What executing one command of a slot did, as a leaf of the slot's results tree: whether it took
 * effect, and the digest of the value that stands for its key afterwards. Every correct replica
 * computes the same leaves, so f+1 matching signatures over their root vouch for one result.
 *
 * <p>Leaf bytes: {@code u8(kind) ‖ value digest[32]}, kind 1 = took effect, 0 = refused (the value
 * digest is then the standing value's), 2 = a repeat of a request applied in an earlier slot (not
 * applied here; value digest all zero).
 */
public record CommandOutcome(Kind kind, ByteString valueDigest) {
  public enum Kind {
    REFUSED(0), TOOK_EFFECT(1), REPEAT(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  private static final ByteString NO_VALUE = ByteString.copyFrom(new byte[ChainHash.HASH_BYTES]);

  public CommandOutcome {
    Objects.requireNonNull(kind, "kind");
    if (valueDigest.size() != ChainHash.HASH_BYTES) {
      throw new IllegalArgumentException("a value digest is 32 bytes, not " + valueDigest.size());
    }
  }

  /** A command the state machine applied: its success and the value standing afterwards. */
  public static CommandOutcome applied(boolean success, ByteString standingValue) {
    ByteString digest = ByteString.copyFrom(Canonical.sha256(standingValue.toByteArray()));
    return new CommandOutcome(success ? Kind.TOOK_EFFECT : Kind.REFUSED, digest);
  }

  public static CommandOutcome repeat() {
    return new CommandOutcome(Kind.REPEAT, NO_VALUE);
  }

  public ByteString leafHash() {
    byte[] leaf = new Canonical().raw(new byte[] {(byte) kind.code}).raw(valueDigest.toByteArray()).toByteArray();
    return MerkleTree.leafHash(leaf);
  }
}
