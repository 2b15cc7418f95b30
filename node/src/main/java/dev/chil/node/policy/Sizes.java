package dev.chil.node.policy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How large a client's request may be, checked when it arrives. Each is at most what the node
 * could ever take ({@code bounds}); the policy can only tighten them. A request beyond the node's
 * own bound is left to the node's own checks (the audit chain's key limit, the batch, gRPC's
 * message limit), which refuse it as they always have; this refuses what only the policy forbids.
 *
 * @param keyBytesMax a key's UTF-8 bytes
 * @param valueBytesMax a proposed value's bytes
 * @param messageBytesMax a whole request message's bytes, as encoded
 * @param batchBytesMax what a proposal takes of a batch, counted as the leader counts it: three
 *     bytes per character of key, client id and request id, plus the value
 */
public record Sizes(int keyBytesMax, int valueBytesMax, int messageBytesMax, int batchBytesMax, SizeBounds bounds) {
  public Sizes {
    if (keyBytesMax < 1 || valueBytesMax < 0 || messageBytesMax < 1 || batchBytesMax < 1) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (keyBytesMax > bounds.keyBytesMax() || valueBytesMax > bounds.valueBytesMax()
        || messageBytesMax > bounds.messageBytesMax() || batchBytesMax > bounds.batchBytesMax()) {
      throw new IllegalArgumentException("a policy's sizes can only tighten the node's bounds " + bounds);
    }
  }

  /** The node's own bounds, as they are when the policy tightens none. */
  public static Sizes of(SizeBounds bounds) {
    return new Sizes(bounds.keyBytesMax(), bounds.valueBytesMax(), bounds.messageBytesMax(), bounds.batchBytesMax(),
        bounds);
  }

  /** Why a request is too large, naming the bound; empty if it fits. A read has no value and takes no batch. */
  public Optional<String> problem(Operation operation, String key, int valueBytes, String client, String requestId,
      int messageBytes) {
    if (messageBytes > messageBytesMax && messageBytes <= bounds.messageBytesMax()) {
      return Optional.of("the request message of " + messageBytes + " bytes is larger than sizes.message_bytes_max "
          + messageBytesMax);
    }
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > keyBytesMax && keyBytes <= bounds.keyBytesMax()) {
      return Optional.of("the key of " + keyBytes + " bytes is longer than sizes.key_bytes_max " + keyBytesMax);
    }
    if (valueBytes > valueBytesMax && valueBytes <= bounds.valueBytesMax()) {
      return Optional.of("the value of " + valueBytes + " bytes is larger than sizes.value_bytes_max " + valueBytesMax);
    }
    long inBatch = 3L * (key.length() + client.length() + requestId.length()) + valueBytes;
    if (operation == Operation.PROPOSE && inBatch > batchBytesMax && inBatch <= bounds.batchBytesMax()) {
      return Optional.of("the proposal takes " + inBatch + " bytes of a batch (3 per character of key, client id"
          + " and request id, plus the value), more than sizes.batch_bytes_max " + batchBytesMax);
    }
    return Optional.empty();
  }
}
