package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Canonical bytes of the PBFT messages' signed payloads: fixed-width big-endian integers and
 * length-prefixed fields, so that every encoding has exactly one reading.
 */
final class Encoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  Encoder u32(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("does not fit 32 bits: " + value);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  Encoder u64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  Encoder bytes(byte[] bytes) {
    u32(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  Encoder bytes(ByteString bytes) {
    return bytes(bytes.toByteArray());
  }

  Encoder string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** A view as the epoch of a {@link dev.chil.audit.VoteStatement}: {@code u64(view)}. */
  static ByteString epoch(long view) {
    return ByteString.copyFrom(new Encoder().u64(view).toByteArray());
  }
}
