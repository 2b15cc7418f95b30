package dev.chil.audit.chain;

import java.util.Objects;

import com.google.protobuf.ByteString;

/**
 * One decided command at its place in the chain. Indexes count from 1; the previous hash of entry
 * 1 is the genesis hash. {@link ChainHash#entry} says how {@code hash} follows from the rest.
 */
public record Entry(long index, long slot, Command command, ByteString previousHash, ByteString hash) {
  public Entry {
    if (index < 1) {
      throw new IllegalArgumentException("entry indexes start at 1, not " + index);
    }
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }
}
