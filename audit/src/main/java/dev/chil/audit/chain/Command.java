package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;

/**
 * One client command as the cluster agrees on it: the key and value proposed, who proposed it
 * (the SPIFFE id from the client's certificate) and the client's request id, which makes a
 * retried command recognisable.
 */
public record Command(String key, ByteString value, String client, String requestId) {
  /** The message type a client signs its request's canonical bytes under (pbft requires it). */
  public static final String SIGNED_REQUEST_TYPE = "chil.request.v1";
  public static final int KEY_BYTES_MAX = 1024;
  public static final int REQUEST_ID_BYTES_MAX = 128;
  /** What {@code str16} can hold: the client is a SPIFFE id, far shorter, but nothing longer can be hashed. */
  public static final int CLIENT_BYTES_MAX = 0xFFFF;

  public Command {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(requestId, "requestId");
    keyProblem(key).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    if (client.isEmpty() || Canonical.utf8(client).length > CLIENT_BYTES_MAX) {
      throw new IllegalArgumentException("client must name the proposer in 1-" + CLIENT_BYTES_MAX + " UTF-8 bytes");
    }
    if (requestId.isEmpty() || Canonical.utf8(requestId).length > REQUEST_ID_BYTES_MAX) {
      throw new IllegalArgumentException("request id must be 1-" + REQUEST_ID_BYTES_MAX + " UTF-8 bytes");
    }
  }

  /** SHA-256 of the value: what the chain and the slot digest commit to. */
  public ByteString valueDigest() {
    return ByteString.copyFrom(Canonical.sha256(value.toByteArray()));
  }

  /**
   * The agreed content of the command in canonical form (see FORMAT.md):
   * {@code str16(key) ‖ valueDigest[32] ‖ str16(client) ‖ str16(requestId)}.
   */
  public byte[] canonicalBytes() {
    return new Canonical()
        .str16(key)
        .raw(valueDigest().toByteArray())
        .str16(client)
        .str16(requestId)
        .toByteArray();
  }

  /** Why {@code key} can be no command's key, or empty when it can. */
  public static Optional<String> keyProblem(String key) {
    if (key.isEmpty() || Canonical.utf8(key).length > KEY_BYTES_MAX) {
      return Optional.of("key must be 1-" + KEY_BYTES_MAX + " UTF-8 bytes");
    }
    return Optional.empty();
  }
}
