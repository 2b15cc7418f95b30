package dev.chil.node.core.paxos;

import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.QuorumRule;

/**
 * Deliberately broken Paxos replicas for the simulator's teeth test. They live in test sources
 * of the core's package: main code carries no switch that could turn them on.
 */
public final class BrokenVariants {
  private BrokenVariants() {}

  /** "A quorum is half the weight": two disjoint halves of an even split can both decide. */
  public static final QuorumRule HALF = (weight, totalWeight) -> weight >= totalWeight / 2;

  /** A leader that skips phase 1: it never learns what earlier ballots may have chosen. */
  public static PaxosReplica skipPhase1(PaxosConfig config, Signer signer, Verifier verifier, PaxosStorageState stored) {
    return new SkipsPhase1(config, signer, verifier, stored);
  }

  /** A new leader that re-proposes the value of the lowest ballot a promise reports, not the highest. */
  public static PaxosReplica lowestBallotValue(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      AcceptedEntry reproposal(AcceptedEntry known, AcceptedEntry reported) {
        return known == null || reported.ballot().isBelow(known.ballot()) ? reported : known;
      }
    };
  }

  private static final class SkipsPhase1 extends PaxosReplica {
    SkipsPhase1(PaxosConfig config, Signer signer, Verifier verifier, PaxosStorageState stored) {
      super(config, signer, verifier, stored);
    }

    @Override
    void becomeCandidate() {
      enterBallot(new Ballot(Math.max(promised().round(), ballot.round()) + 1, config.self()));
      becomeLeader(); // with no promises: re-proposes nothing, fills every open slot with no-ops
    }
  }
}
