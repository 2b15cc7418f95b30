package dev.chil.node.policy;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's security events, as structured lines on the {@code chil.security} logger. Refused
 * calls are logged at most {@link #REFUSAL_LOGS_PER_SECOND} a second, so that a flooding client
 * cannot fill the disk; the lines left out are counted into the next one's {@code suppressed}.
 * Loads and reloads are rare and always logged. Thread-safe.
 */
final class PolicyEvents {
  static final int REFUSAL_LOGS_PER_SECOND = 10;
  /** Attacker-chosen text (keys) is cut to this many characters in a log line. */
  static final int LOGGED_TEXT_MAX = 128;
  private static final Logger LOG = LoggerFactory.getLogger("chil.security");

  private final LongAdder suppressed = new LongAdder();
  private final Bucket logBudget = Bucket.builder()
      .addLimit(Bandwidth.builder().capacity(REFUSAL_LOGS_PER_SECOND)
          .refillGreedy(REFUSAL_LOGS_PER_SECOND, Duration.ofSeconds(1)).build())
      .build();

  /** A call refused by the policy: event {@code client_throttled}, {@code client_access_denied}, ... */
  void refused(String client, Operation operation, String key, Refusal refusal) {
    if (!logBudget.tryConsume(1)) {
      suppressed.increment();
      return;
    }
    String event = switch (refusal.reason()) {
      case CERTIFICATE_DENIED -> "client_certificate_denied";
      case THROTTLED -> "client_throttled";
      case ACCESS_DENIED -> "client_access_denied";
      case TOO_LARGE -> "client_request_too_large";
    };
    long skipped = suppressed.sumThenReset();
    String what = operation.name().toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      LOG.warn("refused {} from {}: {}", kv("operation", what), kv("client", client), kv("reason", refusal.detail()),
          kv("suppressed", skipped), kv("retry_after_ms", refusal.retryAfterMillis()), kv("event", event));
    } else {
      LOG.warn("refused {} of {} from {}: {}", kv("operation", what), kv("key", cut(key)), kv("client", client),
          kv("reason", refusal.detail()), kv("suppressed", skipped), kv("event", event));
    }
  }

  void loaded(String source) {
    LOG.info("policy {} in force", kv("file", source), kv("event", "policy_loaded"));
  }

  void reloaded(String source, String trigger) {
    LOG.info("reloaded policy {} ({})", kv("file", source), kv("trigger", trigger), kv("event", "policy_reloaded"));
  }

  void reloadRefused(String source, String trigger, List<String> problems) {
    LOG.error("refused to reload policy {} ({}), the policy in force stays: {}", kv("file", source),
        kv("trigger", trigger), kv("problems", problems), kv("event", "policy_reload_refused"));
  }

  static String cut(String text) {
    return text.length() <= LOGGED_TEXT_MAX ? text : text.substring(0, LOGGED_TEXT_MAX) + "...";
  }
}
