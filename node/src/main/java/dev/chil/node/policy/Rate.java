package dev.chil.node.policy;

/**
 * A token bucket's shape: {@code perSecond} tokens added a second, evenly, and at most
 * {@code burst} held, so that after a quiet spell up to {@code burst} may pass at once.
 */
public record Rate(long perSecond, long burst) {
  /** Large enough for any real rate, small enough that bucket4j's arithmetic never overflows. */
  public static final long MAX = 1L << 40;

  public Rate {
    if (perSecond < 1 || perSecond > MAX) {
      throw new IllegalArgumentException("per_second must be 1-" + MAX + ", not " + perSecond);
    }
    if (burst < 1 || burst > MAX) {
      throw new IllegalArgumentException("burst must be 1-" + MAX + ", not " + burst);
    }
  }

  @Override
  public String toString() {
    return perSecond + "/s (burst " + burst + ")";
  }
}
