package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.paxos.BrokenVariants;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The simulator must catch deliberately broken cores. Each case searches seeds from 1 until the
 * simulator reports a violation, and fails if none of {@link #SEEDS_MAX} does. Where a broken
 * core trips a cheap structural check first (a certificate without a majority, a promise that went
 * down), a second case turns those checks off and requires an outcome a user would see:
 * disagreement, a command applied twice, or diverging applied sequences.
 *
 * <p>The forgetful acceptor's disagreement needs an interleaving the random profile rarely draws
 * (a restart between a promise and a delayed older Accept while the older leader has not heard of
 * the newer ballot); {@code ScriptedScenariosTest} plays it message by message and sees two values
 * chosen for one slot.
 */
@Tag("simulation")
class TeethTest {
  /** As many seeds as the normal build's simulation runs: a mutant caught later would escape it. */
  static final int SEEDS_MAX = PaxosSimulationTest.SEEDS_DEFAULT;

  @Test
  void catchesAQuorumOfHalf() {
    firstFailure(seed -> SimOptions.standard(seed).withQuorumRule(BrokenVariants.HALF), "certificate");
  }

  @Test
  void catchesDisagreementFromAQuorumOfHalf() {
    firstFailure(seed -> SimOptions.standard(seed).withQuorumRule(BrokenVariants.HALF).withOnlyOutcomeChecks(),
        OUTCOMES);
  }

  @Test
  void catchesALeaderThatSkipsPhase1() {
    // The broken leader may be the first to notice (it asserts when its quorum contradicts a
    // slot it knows decided); the search goes on until the checker itself sees the damage.
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::skipPhase1).withOnlyOutcomeChecks(),
        OUTCOMES);
  }

  @Test
  void catchesALeaderThatReproposesTheLowestBallotsValue() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::lowestBallotValue).withOnlyOutcomeChecks(),
        OUTCOMES);
  }

  @Test
  void catchesAnAcceptorThatForgetsItsPromise() {
    firstFailure(seed -> SimOptions.standard(seed).withForgetfulStorage(), "promise went down");
  }

  // ---- The seven core mutations the simulator missed before late delivery, small windows,
  // ---- forged input and deposed-leader reads (issue 10). Each prints the seed that caught it.

  @Test
  void catchesVotesFromOlderBallotsCheckedAgainstTheirOwnBallot() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::votesFromOlderBallots), "certificate");
  }

  @Test
  void catchesPromisesForAnOlderBallotOfTheSameNode() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::promisesForOlderBallots), OUTCOMES);
  }

  @Test
  void catchesAClientTableRebuiltOnlyFromRetainedSlots() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::clientTableFromRetainedSlots),
        "applied twice");
  }

  @Test
  void catchesACandidateThatIgnoresRetainedFromSlot() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::ignoresRetainedFromSlot),
        "agreement", "prefix", "liveness");
  }

  @Test
  void catchesAnAcceptorNeverPrunedAfterLearning() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::acceptorNeverPruned), "memory");
  }

  @Test
  void catchesALearnerThatDoesNotVerifyADecidesCertificate() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::decideCertificateUnchecked),
        "validity", "certificate", "agreement");
  }

  @Test
  void catchesALeaderThatAnswersAReadAtOnceWhenItsPipelineIsEmpty() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::readAtOnceWhenPipelineEmpty),
        "linearizability");
  }

  @Test
  void countsAReadNeverAnsweredAsALivenessFailure() {
    firstFailure(seed -> SimOptions.standard(seed).withFactory(BrokenVariants::readsNeverAnswered), "reads unanswered");
  }

  /** What a user of the log would see: disagreement, a double application, diverging sequences. */
  private static final String[] OUTCOMES = {"agreement", "prefix", "applied twice"};

  /** Searches seeds for a violation of one of these kinds; other violations do not count. */
  private static SimulationFailure firstFailure(LongFunction<SimOptions> options, String... kinds) {
    List<String> others = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        new Simulation(seed, options.apply(seed)).run();
      } catch (SimulationFailure failure) {
        for (String kind : kinds) {
          if (failure.violation().contains(kind)) {
            System.out.println("teeth: " + StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst())
                .map(StackWalker.StackFrame::getMethodName).orElse("?") + " caught after " + seed + " seeds: "
                + failure.violation().lines().findFirst().orElse(""));
            return failure;
          }
        }
        others.add(failure.violation());
      }
    }
    throw new AssertionError("no violation of " + List.of(kinds) + " in " + SEEDS_MAX
        + " seeds: the simulator has no teeth here; other violations: " + others);
  }
}
