package dev.chil.node.failure;

/**
 * The phi-accrual failure detector of Hayashibara et al. (2004) for one peer. Instead of a yes/no
 * verdict it gives a suspicion level: with the heartbeat inter-arrival times modelled as a normal
 * distribution N(mean, stddev²) over a sliding window,
 *
 * <pre>  phi(now) = -log10( P_later(now - lastHeartbeat) ),   P_later(t) = 1 - F(t)</pre>
 *
 * where F is that distribution's CDF. phi = 1 means a 10% chance that a heartbeat this late is
 * still coming, phi = 3 a 0.1% chance; the caller compares it with its suspect threshold.
 *
 * <p>Pure: time is an argument in milliseconds from any monotonic source; no clock, no threads.
 * Not thread-safe: one owner calls it.
 */
public final class PhiAccrualDetector {
  private final IntervalWindow intervals;
  private final double stddevMinMillis;
  private final double acceptablePauseMillis;
  private long lastHeartbeatMillis = -1;

  /**
   * @param windowSize how many recent inter-arrival times the estimate uses
   * @param firstIntervalMillis the expected interval assumed before any has been measured (the
   *     heartbeat interval), so a peer that never sends a second heartbeat is still suspected
   * @param stddevMinMillis a floor on the standard deviation: perfectly regular heartbeats would
   *     otherwise make phi jump to infinity on the first millisecond of jitter
   * @param acceptablePauseMillis added to the mean, to ride out pauses (GC, a slow disk) that are
   *     not failures
   */
  public PhiAccrualDetector(int windowSize, long firstIntervalMillis, long stddevMinMillis, long acceptablePauseMillis) {
    if (firstIntervalMillis <= 0 || stddevMinMillis <= 0 || acceptablePauseMillis < 0) {
      throw new IllegalArgumentException("intervals must be positive (first " + firstIntervalMillis
          + " ms, stddev floor " + stddevMinMillis + " ms, pause " + acceptablePauseMillis + " ms)");
    }
    this.intervals = new IntervalWindow(windowSize);
    this.stddevMinMillis = stddevMinMillis;
    this.acceptablePauseMillis = acceptablePauseMillis;
    // Bootstrap the estimate with the expected interval and a wide spread, as if measured twice.
    long spread = firstIntervalMillis / 4;
    intervals.add(firstIntervalMillis - spread);
    intervals.add(firstIntervalMillis + spread);
  }

  public void heartbeat(long nowMillis) {
    if (lastHeartbeatMillis >= 0) {
      long interval = nowMillis - lastHeartbeatMillis;
      if (interval < 0) {
        return; // reordered: an older arrival tells nothing new
      }
      intervals.add(interval);
    }
    lastHeartbeatMillis = Math.max(lastHeartbeatMillis, nowMillis);
  }

  /** The suspicion level now; 0 before the first heartbeat (nothing is known yet to suspect). */
  public double phi(long nowMillis) {
    if (lastHeartbeatMillis < 0) {
      return 0.0;
    }
    double elapsed = Math.max(0, nowMillis - lastHeartbeatMillis);
    double mean = intervals.mean() + acceptablePauseMillis;
    double stddev = Math.max(intervals.stddev(), stddevMinMillis);
    return phi(elapsed, mean, stddev);
  }

  /** -log10 of the probability that a normal N(mean, stddev²) variable exceeds elapsed. */
  static double phi(double elapsed, double mean, double stddev) {
    double pLater = 0.5 * Erfc.of((elapsed - mean) / (stddev * Math.sqrt(2)));
    // Double precision runs out near 1e-308; cap rather than return infinity.
    return -Math.log10(Math.max(pLater, Double.MIN_NORMAL));
  }

  public long lastHeartbeatMillis() {
    return lastHeartbeatMillis;
  }
}
