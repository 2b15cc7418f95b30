package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Objects;

/** The last entry's index and hash; index 0 with the genesis hash for an empty log. */
public record Head(long index, ByteString hash) {
  public Head {
    if (index < 0) {
      throw new IllegalArgumentException("head index must not be negative: " + index);
    }
    Objects.requireNonNull(hash, "hash");
  }

  public String hashHex() {
    return HexFormat.of().formatHex(hash.toByteArray());
  }

  @Override
  public String toString() {
    return index + ":" + hashHex();
  }
}
