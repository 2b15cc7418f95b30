package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.node.core.common.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a NewView must re-issue, computed from its ViewChanges as the paper says: from the highest
 * stable checkpoint among them ({@code minS}) to the highest prepared sequence ({@code maxS}), the
 * batch of the highest-view prepared certificate of each sequence, or a null batch where none
 * prepared. The primary builds its NewView from this; every backup recomputes it to check one.
 */
record NewViewPlan(long minSequence, CheckpointProof stable, List<Long> sequences, List<List<ClientRequest>> batches) {
  private static final ByteString NULL_DIGEST = SlotDigest.of(List.of());

  static NewViewPlan of(List<PbftMessage.ViewChange> viewChanges) {
    CheckpointProof stable = CheckpointProof.GENESIS;
    for (PbftMessage.ViewChange viewChange : viewChanges) {
      if (viewChange.stableSequence() > stable.sequence()) {
        stable = ProofChecks.proofOf(viewChange);
      }
    }
    TreeMap<Long, PbftMessage.PreparedCertificate> highest = new TreeMap<>();
    for (PbftMessage.ViewChange viewChange : viewChanges) {
      for (PbftMessage.PreparedCertificate certificate : viewChange.prepared()) {
        if (certificate.sequence() < stable.sequence()) {
          continue;
        }
        PbftMessage.PreparedCertificate known = highest.get(certificate.sequence());
        if (known == null || certificate.view() > known.view()) {
          highest.put(certificate.sequence(), certificate);
        }
      }
    }
    long maxSequence = highest.isEmpty() ? stable.sequence() - 1 : highest.lastKey();
    List<Long> sequences = new ArrayList<>();
    List<List<ClientRequest>> batches = new ArrayList<>();
    for (long sequence = stable.sequence(); sequence <= maxSequence; sequence++) {
      PbftMessage.PreparedCertificate certificate = highest.get(sequence);
      sequences.add(sequence);
      batches.add(certificate == null ? List.of() : certificate.prePrepare().batch());
    }
    return new NewViewPlan(stable.sequence(), stable, sequences, batches);
  }

  /** The sequence the new primary assigns next. */
  long nextSequence() {
    return minSequence + sequences.size();
  }

  /** True when {@code prePrepares} re-issue exactly this plan's batches, in order, in {@code view}. */
  boolean matches(List<PbftMessage.PrePrepare> prePrepares, long view, String primary) {
    if (prePrepares.size() != sequences.size()) {
      return false;
    }
    for (int i = 0; i < sequences.size(); i++) {
      PbftMessage.PrePrepare prePrepare = prePrepares.get(i);
      ByteString expected = batches.get(i).isEmpty() ? NULL_DIGEST : SlotDigest.of(PbftMessage.commands(batches.get(i)));
      if (prePrepare.view() != view || prePrepare.sequence() != sequences.get(i)
          || !prePrepare.replica().equals(primary) || !prePrepare.digest().equals(expected)) {
        return false;
      }
    }
    return true;
  }
}
