package dev.chil.node.policy;

/**
 * The largest request the node could ever take, from its code and config (the audit chain's key
 * limit, {@code batching.max_bytes}, the client port's message limit): a policy's sizes may be
 * smaller, never larger, since a larger one would promise what the node cannot do.
 */
public record SizeBounds(int keyBytesMax, int valueBytesMax, int messageBytesMax, int batchBytesMax) {
  public SizeBounds {
    if (keyBytesMax < 1 || valueBytesMax < 1 || messageBytesMax < 1 || batchBytesMax < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
  }
}
