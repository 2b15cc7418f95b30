package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest of the replicated state a checkpoint certifies: a hash chain over the executed
 * batches' digests, {@code d(k+1) = SHA-256("chil-consensus/pbft-state/v1" 0x00 ‖ d(k) ‖ u64(k) ‖
 * batchDigest(k))}. The applied state (and the deduplication table) is a function of that
 * sequence, so equal digests mean equal states.
 */
public final class StateDigest {
  private static final byte[] DOMAIN_TAG = "chil-consensus/pbft-state/v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  public static final ByteString GENESIS = ByteString.copyFrom(new byte[32]);

  private StateDigest() {}

  public static ByteString next(ByteString previous, long sequence, ByteString batchDigest) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN_TAG);
      sha.update(previous.toByteArray());
      sha.update(new Encoder().u64(sequence).toByteArray());
      sha.update(batchDigest.toByteArray());
      return ByteString.copyFrom(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
