package dev.chil.node.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The harness's time: moves only when the harness advances it, one tick at a time. */
final class SimClock extends Clock {
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  private final long tickMillis;
  private long ticks;

  SimClock(long tickMillis) {
    this.tickMillis = tickMillis;
  }

  void advance() {
    ticks++;
  }

  long ticks() {
    return ticks;
  }

  @Override
  public Instant instant() {
    return START.plusMillis(ticks * tickMillis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the harness clock has one zone");
  }
}
