package dev.chil.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The exact bytes a signature covers. Layout, all lengths unsigned big-endian 16-bit:
 *
 * <pre>
 *   "chil-consensus/signature/v1" 0x00
 *   len(cluster) cluster            UTF-8
 *   len(messageType) messageType    ASCII, e.g. "paxos.Accepted"
 *   payload                         the rest
 * </pre>
 *
 * The domain tag keeps these signatures apart from anything else the key might sign (TLS
 * handshakes sign with the same key under TLS's own context string); the cluster and message
 * type keep a signature made for one cluster or one purpose from verifying for another. The
 * lengths make the encoding unambiguous.
 */
public final class SignedBytes {
  static final byte[] DOMAIN_TAG = "chil-consensus/signature/v1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern MESSAGE_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private SignedBytes() {}

  public static byte[] of(String cluster, String messageType, byte[] payload) {
    checkMessageType(messageType);
    byte[] clusterBytes = cluster.getBytes(StandardCharsets.UTF_8);
    byte[] typeBytes = messageType.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(DOMAIN_TAG.length + 1 + 2 + clusterBytes.length + 2 + typeBytes.length + payload.length)
        .put(DOMAIN_TAG)
        .put((byte) 0)
        .putShort((short) clusterBytes.length)
        .put(clusterBytes)
        .putShort((short) typeBytes.length)
        .put(typeBytes)
        .put(payload)
        .array();
  }

  static void checkMessageType(String messageType) {
    if (messageType == null || !MESSAGE_TYPE.matcher(messageType).matches()) {
      throw new IllegalArgumentException("message type '" + messageType
          + "' must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', '-'");
    }
  }
}
