package dev.chil.node.transport;

import dev.chil.crypto.SecurityEvents;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the transport let in and what it dropped, by reason; and the security log of the drops,
 * rate-limited so that a peer flooding bad messages cannot flood the log too. Thread-safe.
 */
public final class TransportCounters {
  /** Up to this many rejection lines a second; the rest are counted and summed into the next line. */
  static final int REJECTION_LOGS_PER_SECOND = 10;

  private final LongAdder accepted = new LongAdder();
  private final Map<EnvelopeRejection, LongAdder> rejected = new EnumMap<>(EnvelopeRejection.class);
  private final LongAdder droppedOutbound = new LongAdder();
  private final LongAdder suppressedLogs = new LongAdder();
  private final Bucket logBudget = Bucket.builder()
      .addLimit(Bandwidth.builder().capacity(REJECTION_LOGS_PER_SECOND)
          .refillGreedy(REJECTION_LOGS_PER_SECOND, Duration.ofSeconds(1)).build())
      .build();

  public TransportCounters() {
    for (EnvelopeRejection reason : EnvelopeRejection.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  void countAccepted() {
    accepted.increment();
  }

  void countRejected(String peer, EnvelopeRejection reason, String detail) {
    rejected.get(reason).increment();
    if (logBudget.tryConsume(1)) {
      SecurityEvents.messageRejected(peer, reason.name(), detail, suppressedLogs.sumThenReset());
    } else {
      suppressedLogs.increment();
    }
  }

  void countDroppedOutbound() {
    droppedOutbound.increment();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long rejected(EnvelopeRejection reason) {
    return rejected.get(reason).sum();
  }

  /** Outbound messages dropped because a peer's queue was full while it was unreachable. */
  public long droppedOutbound() {
    return droppedOutbound.sum();
  }
}
