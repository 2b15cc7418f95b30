package dev.chil.node.core.pbft;

import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.QuorumRule;

/**
 * Deliberately broken PBFT replicas for the simulator's teeth tests. They live in test sources of
 * the core's package: main code carries no switch that could turn them on.
 */
public final class BrokenVariants {
  private BrokenVariants() {}

  /** "A quorum is 2f": two quorums need no longer share a correct replica. */
  public static final QuorumRule TWO_F = (weight, totalWeight) -> weight >= 2 * ((totalWeight - 1) / 3);

  /** Enters any NewView its primary signed, without checking the proof or recomputing the PrePrepares. */
  public static PbftReplica skipsNewViewValidation(PbftConfig config, Signer signer, Verifier verifier,
      PbftStorageState stored) {
    return new PbftReplica(config, signer, verifier, stored) {
      @Override
      boolean validNewView(PbftMessage.NewView next, NewViewPlan plan) {
        return true;
      }
    };
  }

  /** Executes as soon as it is prepared, with whatever Commits it has, not after 2f+1 of them. */
  public static PbftReplica executesBeforeCommit(PbftConfig config, Signer signer, Verifier verifier,
      PbftStorageState stored) {
    return new PbftReplica(config, signer, verifier, stored) {
      @Override
      void checkCommitted(AgreementLog.Entry entry) {
        if (entry.commitSent && !entry.committed) {
          entry.committed = true;
          commitAndExecute(entry, entry.matchingCommits());
        }
      }
    };
  }

  /** Accepts a PrePrepare for any sequence number, however far outside [h, h + L). */
  public static PbftReplica ignoresWatermarks(PbftConfig config, Signer signer, Verifier verifier,
      PbftStorageState stored) {
    return new PbftReplica(config, signer, verifier, stored) {
      @Override
      boolean acceptsPrePrepareAt(long sequence) {
        return true;
      }
    };
  }
}
