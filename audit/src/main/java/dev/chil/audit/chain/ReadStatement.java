package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What a pbft replica signs when it answers a read from its own state: "key K has (or has not)
 * the value with digest V, decided in slot S". 2f+1 matching signatures show that correct
 * replicas hold that answer. Signed under {@link #MESSAGE_TYPE}; payload
 * {@code str16(key) ‖ u8(found) ‖ value digest[32] ‖ u64(slot)}, the digest of the empty value
 * and slot 0 when not found.
 */
public record ReadStatement(String key, boolean found, ByteString valueDigest, long slot) {
  public static final String MESSAGE_TYPE = "chil.read.v1";

  public ReadStatement {
    Objects.requireNonNull(key, "key");
    ResultStatement.requireHash(valueDigest, "value digest");
  }

  public static ReadStatement of(String key, boolean found, ByteString value, long slot) {
    return new ReadStatement(key, found, ByteString.copyFrom(Canonical.sha256(value.toByteArray())), found ? slot : 0);
  }

  public byte[] payload() {
    return new Canonical().str16(key).raw(new byte[] {(byte) (found ? 1 : 0)}).raw(valueDigest.toByteArray())
        .u64(slot).toByteArray();
  }
}
