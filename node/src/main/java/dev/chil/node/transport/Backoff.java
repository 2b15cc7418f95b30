package dev.chil.node.transport;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with jitter: the n-th wait is drawn uniformly from [d/2, d] with
 * d = min(max, initial · 2^n), so that peers that lost a node together do not reconnect in step.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final Random random;
  private int attempts;

  Backoff(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, not " + initial + " and " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  Duration next() {
    long ceiling = initialMillis << Math.min(attempts, 30);
    long capped = ceiling <= 0 || ceiling > maxMillis ? maxMillis : ceiling;
    attempts++;
    long half = capped / 2;
    return Duration.ofMillis(half + (long) (random.nextDouble() * (capped - half + 1)));
  }

  void reset() {
    attempts = 0;
  }
}
