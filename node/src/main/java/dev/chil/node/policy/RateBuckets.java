package dev.chil.node.policy;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per name (a client identity and operation, say), each of the rate it was last
 * asked with: a changed rate (a reloaded policy) reshapes the bucket and keeps its tokens, up to
 * the new burst. At most {@code namesMax} buckets, the least recently used forgotten first (it
 * comes back full). Thread-safe.
 */
final class RateBuckets {
  private final TimeMeter time;
  private final int namesMax;
  private final Map<String, Shaped> buckets;

  private record Shaped(Rate rate, Bucket bucket) {}

  RateBuckets(TimeMeter time, int namesMax) {
    this.time = time;
    this.namesMax = namesMax;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Shaped> eldest) {
        return size() > RateBuckets.this.namesMax;
      }
    };
  }

  /**
   * Takes one token from {@code name}'s bucket of {@code rate}.
   *
   * @return 0 when taken; otherwise how many nanoseconds until one is there (at least 1)
   */
  long take(String name, Rate rate) {
    Bucket bucket;
    synchronized (buckets) {
      Shaped shaped = buckets.get(name);
      if (shaped == null) {
        shaped = new Shaped(rate, Bucket.builder().withCustomTimePrecision(time).addLimit(bandwidth(rate)).build());
        buckets.put(name, shaped);
      } else if (!shaped.rate().equals(rate)) {
        shaped.bucket().replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(rate)).build(),
            TokensInheritanceStrategy.AS_IS);
        shaped = new Shaped(rate, shaped.bucket());
        buckets.put(name, shaped);
      }
      bucket = shaped.bucket();
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
  }

  int size() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  private static Bandwidth bandwidth(Rate rate) {
    return Bandwidth.builder().capacity(rate.burst()).refillGreedy(rate.perSecond(), Duration.ofSeconds(1)).build();
  }
}
