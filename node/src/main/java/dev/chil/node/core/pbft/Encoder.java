package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonical bytes of the PBFT messages' signed payloads: fixed-width big-endian integers and
 * length-prefixed fields, so that every encoding has exactly one reading.
 */
final class Encoder {
  // A growable array rather than a stream: the core does no IO, and the purity rules say so.
  private byte[] buffer = new byte[256];
  private int size;

  private void write(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  Encoder u32(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("does not fit 32 bits: " + value);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      write((int) (value >>> shift));
    }
    return this;
  }

  Encoder u64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    for (int shift = 56; shift >= 0; shift -= 8) {
      write((int) (value >>> shift));
    }
    return this;
  }

  Encoder bytes(byte[] bytes) {
    u32(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
    return this;
  }

  Encoder bytes(ByteString bytes) {
    return bytes(bytes.toByteArray());
  }

  Encoder string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** A view as the epoch of a {@link dev.chil.audit.chain.VoteStatement}: {@code u64(view)}. */
  static ByteString epoch(long view) {
    return ByteString.copyFrom(new Encoder().u64(view).toByteArray());
  }
}
