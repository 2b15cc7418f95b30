package dev.chil.node.core.common;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Proof that replica {@code replica} equivocated: two different payloads of one message type for
 * the same (view, sequence), both signed by it. Anyone holding the replica's certificate can check
 * it: both signatures verify under {@code messageType}, and the payloads differ. The runtime keeps
 * it beside the audit chain, never in it.
 */
public record Evidence(String replica, String messageType, long view, long sequence, ByteString firstPayload,
    ByteString firstSignature, ByteString secondPayload, ByteString secondSignature) {
  public Evidence {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(firstPayload, "firstPayload");
    Objects.requireNonNull(firstSignature, "firstSignature");
    Objects.requireNonNull(secondPayload, "secondPayload");
    Objects.requireNonNull(secondSignature, "secondSignature");
    if (firstPayload.equals(secondPayload)) {
      throw new IllegalArgumentException("evidence needs two different payloads");
    }
  }
}
