package dev.chil.audit.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical encoding shared by chain hashes, slot digests and votes: fixed-width big-endian
 * integers and length-prefixed fields, so that every encoding has exactly one reading.
 */
final class Canonical {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  Canonical raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  Canonical u16(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("does not fit 16 bits: " + value);
    }
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  Canonical u32(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("does not fit 32 bits: " + value);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  Canonical u64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  /** u16 length, then the UTF-8 bytes. */
  Canonical str16(String value) {
    byte[] bytes = utf8(value);
    return u16(bytes.length).raw(bytes);
  }

  /** u32 length, then the bytes. */
  Canonical bytes32(byte[] bytes) {
    return u32(bytes.length).raw(bytes);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] ascii(String value) {
    return value.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] sha256(byte[]... parts) {
    MessageDigest digest = newSha256();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
