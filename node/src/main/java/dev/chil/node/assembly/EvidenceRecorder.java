package dev.chil.node.assembly;

import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.EvidenceRecord;
import dev.chil.crypto.SecurityEvents;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.runtime.EvidenceSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the core's proof of equivocation beside the audit chain (its {@code local_evidence}
 * table, outside every hash), logs each as a security event ({@code "event":"equivocation"}) and
 * counts it. Driver thread only, apart from {@link #recorded()}.
 */
final class EvidenceRecorder implements EvidenceSink {
  private final AuditLog audit;
  private final Clock clock;
  private final AtomicLong recorded = new AtomicLong();

  EvidenceRecorder(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void record(List<Evidence> evidence) {
    List<EvidenceRecord> records = new ArrayList<>(evidence.size());
    for (Evidence proof : evidence) {
      records.add(new EvidenceRecord(proof.replica(), proof.messageType(), proof.view(), proof.sequence(),
          proof.firstPayload(), proof.firstSignature(), proof.secondPayload(), proof.secondSignature(),
          clock.instant()));
    }
    try {
      audit.recordEvidence(records);
    } catch (AuditStoreException e) {
      // Like a failure to audit: a node that cannot keep what it must keep stops.
      throw new IllegalStateException("cannot store evidence of equivocation: " + e.getMessage(), e);
    }
    for (Evidence proof : evidence) {
      SecurityEvents.equivocation(proof.replica(), proof.messageType(), proof.view(), proof.sequence(),
          recorded.incrementAndGet());
    }
  }

  /** Pieces of evidence recorded since the node started. */
  long recorded() {
    return recorded.get();
  }
}
