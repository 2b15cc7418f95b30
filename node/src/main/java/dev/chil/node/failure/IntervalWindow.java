package dev.chil.node.failure;

/** The last N inter-arrival times, with their running mean and standard deviation. */
final class IntervalWindow {
  private final long[] samples;
  private int next;
  private int size;
  private double sum;
  private double sumOfSquares;

  IntervalWindow(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("window must hold at least 2 intervals, not " + capacity);
    }
    samples = new long[capacity];
  }

  void add(long interval) {
    if (size == samples.length) {
      long evicted = samples[next];
      sum -= evicted;
      sumOfSquares -= (double) evicted * evicted;
    } else {
      size++;
    }
    samples[next] = interval;
    next = (next + 1) % samples.length;
    sum += interval;
    sumOfSquares += (double) interval * interval;
  }

  double mean() {
    return sum / size;
  }

  double stddev() {
    double mean = mean();
    // Population variance; max(0, ·) absorbs rounding of the running sums.
    return Math.sqrt(Math.max(0.0, sumOfSquares / size - mean * mean));
  }

  int size() {
    return size;
  }
}
