package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.node.core.paxos.BrokenVariants;
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
  static final int SEEDS_MAX = 2_000;

  @Test
  void catchesAQuorumOfHalf() {
    SimulationFailure failure = firstFailure(seed -> SimOptions.standard(seed).withQuorumRule(BrokenVariants.HALF));
    assertThat(failure.violation()).contains("certificate");
  }

  @Test
  void catchesDisagreementFromAQuorumOfHalf() {
    SimulationFailure failure = firstFailure(
        seed -> SimOptions.standard(seed).withQuorumRule(BrokenVariants.HALF).withOnlyOutcomeChecks());
    assertThat(failure.violation()).containsAnyOf("agreement", "prefix", "applied twice");
  }

  @Test
  void catchesALeaderThatSkipsPhase1() {
    SimulationFailure failure = firstFailure(
        seed -> SimOptions.standard(seed).withFactory(BrokenVariants::skipPhase1).withOnlyOutcomeChecks());
    assertThat(failure.violation()).containsAnyOf("agreement", "prefix", "applied twice");
  }

  @Test
  void catchesAnAcceptorThatForgetsItsPromise() {
    SimulationFailure failure = firstFailure(seed -> SimOptions.standard(seed).withForgetfulStorage());
    assertThat(failure.violation()).contains("promise went down");
  }

  private static SimulationFailure firstFailure(LongFunction<SimOptions> options) {
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        new Simulation(seed, options.apply(seed)).run();
      } catch (SimulationFailure failure) {
        System.out.println("teeth: " + failure.violation());
        return failure;
      }
    }
    throw new AssertionError("no violation in " + SEEDS_MAX + " seeds: the simulator has no teeth here");
  }
}
