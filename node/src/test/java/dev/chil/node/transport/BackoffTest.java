package dev.chil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesWithJitterUpToTheCapAndStartsOverOnReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(11));
    long[] ceilings = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
    for (long ceiling : ceilings) {
      assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
    }
    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
  }

  @Test
  void staysCappedAfterManyAttemptsWithoutOverflow() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(12));
    for (int attempt = 0; attempt < 200; attempt++) {
      long millis = backoff.next().toMillis();
      assertThat(millis).isBetween(50L, 5000L);
      if (attempt >= 6) {
        assertThat(millis).isGreaterThanOrEqualTo(2500L);
      }
    }
  }
}
