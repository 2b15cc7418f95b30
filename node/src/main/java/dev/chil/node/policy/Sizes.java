package dev.chil.node.policy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How large a client's request may be, checked when it arrives. Each bound is at most what the
 * node could ever take ({@link SizeBounds}); the policy can only tighten them.
 *
 * @param keyBytesMax a key's UTF-8 bytes
 * @param valueBytesMax a proposed value's bytes
 * @param messageBytesMax a whole request message's bytes, as encoded
 * @param batchBytesMax what a proposal takes of a batch, counted as the leader counts it: three
 *     bytes per character of key, client id and request id, plus the value
 */
public record Sizes(int keyBytesMax, int valueBytesMax, int messageBytesMax, int batchBytesMax) {
  public Sizes {
    if (keyBytesMax < 1 || valueBytesMax < 0 || messageBytesMax < 1 || batchBytesMax < 1) {
      throw new IllegalArgumentException("sizes must be positive");
    }
  }

  /** The node's own bounds, as they are when the policy tightens none. */
  public static Sizes of(SizeBounds bounds) {
    return new Sizes(bounds.keyBytesMax(), bounds.valueBytesMax(), bounds.messageBytesMax(), bounds.batchBytesMax());
  }

  /** Why a request is too large, naming the bound; empty if it fits. A read has no value and takes no batch. */
  public Optional<String> problem(Operation operation, String key, int valueBytes, String client, String requestId,
      int messageBytes) {
    if (messageBytes > messageBytesMax) {
      return Optional.of("the request message of " + messageBytes + " bytes is larger than sizes.message_bytes_max "
          + messageBytesMax);
    }
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > keyBytesMax) {
      return Optional.of("the key of " + keyBytes + " bytes is longer than sizes.key_bytes_max " + keyBytesMax);
    }
    if (valueBytes > valueBytesMax) {
      return Optional.of("the value of " + valueBytes + " bytes is larger than sizes.value_bytes_max " + valueBytesMax);
    }
    long inBatch = 3L * (key.length() + client.length() + requestId.length()) + valueBytes;
    if (operation == Operation.PROPOSE && inBatch > batchBytesMax) {
      return Optional.of("the proposal takes " + inBatch + " bytes of a batch (3 per character of key, client id"
          + " and request id, plus the value), more than sizes.batch_bytes_max " + batchBytesMax);
    }
    return Optional.empty();
  }
}
