package dev.chil.node.core.paxos;

import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.ReadReply;
import java.util.List;
import java.util.Optional;

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

  // ---- The seven core mutations an independent campaign found the simulator missed (issue 10) ----

  /**
   * A leader that counts a late vote from an older ballot of its own for the slot's proposal in
   * its current ballot, checking the vote's signature against the ballot the vote names: the
   * certificate then mixes votes on different statements.
   */
  public static PaxosReplica votesFromOlderBallots(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      VoteStatement votedStatement(Proposal proposal, PaxosMessage.Accepted accepted) {
        return accepted.ballot().isAbove(ballot) ? null
            : new VoteStatement(accepted.slot(), accepted.ballot().toBytes(), accepted.digest());
      }
    };
  }

  /**
   * A candidate that counts a late promise made to an older ballot of its own as a promise to its
   * current one: that acceptor may have accepted in a ballot between the two since.
   */
  public static PaxosReplica promisesForOlderBallots(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      public Output step(Input input) {
        if (input instanceof Input.Receive receive && receive.message() instanceof PaxosMessage.Promise promise
            && isCandidate() && promise.ballot().node().equals(name()) && promise.ballot().isBelow(ballot())) {
          input = new Input.Receive(receive.from(),
              new PaxosMessage.Promise(ballot(), promise.retainedFromSlot(), promise.accepted()));
        }
        return super.step(input);
      }
    };
  }

  /**
   * A restarted replica whose client table is rebuilt only from the slots it keeps in memory: a
   * retry of a command applied before that window is applied again. Built from storage that
   * hides the commands of older delivered slots, which is exactly what such a rebuild reads.
   */
  public static PaxosReplica clientTableFromRetainedSlots(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    PaxosStorageState windowOnly = new PaxosStorageState();
    windowOnly.apply(new PaxosDurable.Promised(stored.promised()));
    stored.accepted().values().forEach(entry -> windowOnly.apply(new PaxosDurable.AcceptedValue(entry)));
    List<Decision> delivered = stored.delivered();
    for (Decision decision : delivered) {
      boolean retained = decision.slot() >= delivered.size() - config.retainedSlots();
      windowOnly.apply(new PaxosDurable.Delivered(retained ? decision
          : new Decision(decision.slot(), List.of(), decision.certificate(), List.of())));
    }
    return new PaxosReplica(config, signer, verifier, windowOnly);
  }

  /** A candidate that leads on promises from acceptors that pruned slots it has not learned. */
  public static PaxosReplica ignoresRetainedFromSlot(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      public Output step(Input input) {
        if (input instanceof Input.Receive receive && receive.message() instanceof PaxosMessage.Promise promise) {
          input = new Input.Receive(receive.from(), new PaxosMessage.Promise(promise.ballot(), 0, promise.accepted()));
        }
        return super.step(input);
      }
    };
  }

  /** An acceptor that keeps every accepted value after the slot is learned: memory grows without bound. */
  public static PaxosReplica acceptorNeverPruned(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      void forgetAcceptedBelowWindow() {
        // The mutation: nothing is forgotten.
      }
    };
  }

  /** A learner that takes a Decide without checking its certificate. */
  public static PaxosReplica decideCertificateUnchecked(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      Optional<String> certificateProblem(PaxosMessage.Decide decide) {
        return Optional.empty();
      }
    };
  }

  /**
   * A leader that vouches for a read at once when nothing is in flight, without a quorum
   * confirming that it still leads: a deposed leader serves stale state.
   */
  public static PaxosReplica readAtOnceWhenPipelineEmpty(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      public Output step(Input input) {
        if (input instanceof Input.ReadBarrier read && isLeader() && slotsInFlight() == 0) {
          return new Output(List.of(), List.of(), List.of(), List.of(), List.of(new ReadReply.Ready(read.id())));
        }
        return super.step(input);
      }
    };
  }

  /** A leader that never answers a read: harmless to safety, so only liveness can see it. */
  public static PaxosReplica readsNeverAnswered(PaxosConfig config, Signer signer, Verifier verifier,
      PaxosStorageState stored) {
    return new PaxosReplica(config, signer, verifier, stored) {
      @Override
      public Output step(Input input) {
        return input instanceof Input.ReadBarrier && isLeader() ? Output.EMPTY : super.step(input);
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
