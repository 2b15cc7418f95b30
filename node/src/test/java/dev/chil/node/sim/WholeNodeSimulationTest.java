package dev.chil.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.node.runtime.TurnObserver;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole node under the harness: real driver, recovery, SQLite state store, audit log and
 * state machine, crashed at every point of a turn. {@code -Dharness.seeds=N} runs more seeds;
 * {@code -Dharness.seed=S} replays one.
 */
@Tag("simulation")
class WholeNodeSimulationTest {
  private static final int SEEDS = Integer.getInteger("harness.seeds", 12);

  @Test
  void keepsEveryInvariantAcrossSeeds() {
    Long only = Long.getLong("harness.seed");
    long first = only == null ? 1 : only;
    long last = only == null ? SEEDS : only;
    Map<TurnObserver.Point, Integer> crashes = new EnumMap<>(TurnObserver.Point.class);
    long duplicates = 0;
    long slots = 0;
    int betweenTurns = 0;
    for (long seed = first; seed <= last; seed++) {
      NodeHarness.Result result = run(seed, HarnessOptions.standard());
      System.out.println("harness: " + result);
      result.crashesAt().forEach((point, count) -> crashes.merge(point, count, Integer::sum));
      duplicates += result.duplicatesDecided();
      slots += result.slotsDecided();
      betweenTurns += result.crashesBetweenTurns();
      assertThat(result.acknowledged()).as("seed %d answered clients", seed).isPositive();
    }
    System.out.printf("harness: %d seeds, %d slots, crashes %s and %d between turns, %d retried commands decided twice%n",
        last - first + 1, slots, crashes, betweenTurns, duplicates);
    if (only == null) {
      assertThat(crashes.keySet()).as("crashed at every point of a turn")
          .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(TurnObserver.Point.class));
      assertThat(betweenTurns).isPositive();
      assertThat(duplicates).as("some retried command was decided twice, so toApply mattered").isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(TurnObserver.Point.class)
  void crashesOnlyAtOnePointKeepEveryInvariant(TurnObserver.Point point) {
    int crashes = 0;
    for (long seed = 101; seed <= 102; seed++) {
      NodeHarness.Result result = run(seed, HarnessOptions.standard().withCrashPoints(Set.of(point), false));
      crashes += result.crashesAt().getOrDefault(point, 0);
    }
    assertThat(crashes).as("crashes at %s", point).isPositive();
  }

  static NodeHarness.Result run(long seed, HarnessOptions options) {
    try (HarnessDirectory directory = new HarnessDirectory("harness-" + seed + "-")) {
      return new NodeHarness(seed, options, directory.path()).run();
    }
  }
}
