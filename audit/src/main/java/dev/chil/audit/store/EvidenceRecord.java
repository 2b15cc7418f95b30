package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Objects;

/**
 * Proof that a replica equivocated, as a node keeps it beside its audit chain (table
 * {@code local_evidence}, outside every hash): two different payloads of one message type for the
 * same (view, sequence), both signed by {@code replica}. Anyone holding the replica's certificate
 * (the genesis has it) can check both signatures; {@code recordedAt} is when this node stored it.
 */
public record EvidenceRecord(String replica, String messageType, long view, long sequence, ByteString firstPayload,
    ByteString firstSignature, ByteString secondPayload, ByteString secondSignature, Instant recordedAt) {
  public EvidenceRecord {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(firstPayload, "firstPayload");
    Objects.requireNonNull(firstSignature, "firstSignature");
    Objects.requireNonNull(secondPayload, "secondPayload");
    Objects.requireNonNull(secondSignature, "secondSignature");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }
}
