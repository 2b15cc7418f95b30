package dev.chil.node.assembly;

import dev.chil.node.core.common.Replica;
import dev.chil.node.failure.FailureDetector;
import dev.chil.node.metrics.ClusterSample;
import dev.chil.node.metrics.NodeMetrics;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.EnvelopeRejection;
import dev.chil.node.transport.PeerTransport;
import dev.chil.node.transport.TransportCounters;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads the node's state for its metrics once a period, on the driver thread (where the core may
 * be read) through {@link Driver#inspect}, so neither the core nor the driver knows Prometheus.
 */
final class MetricsSampler implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(1);

  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "chil-metrics-sampler");
    thread.setDaemon(true);
    return thread;
  });

  private MetricsSampler() {
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  static MetricsSampler start(NodeMetrics metrics, Driver driver, PeerTransport transport,
      Function<Replica, CoreStatus> status) {
    MetricsSampler sampler = new MetricsSampler();
    sampler.executor.scheduleWithFixedDelay(() -> {
      SortedMap<String, Boolean> connected = transport.connected();
      driver.inspect(view -> sample(status.apply(view.replica()), view.failureDetector(), view.audit().head().index(),
              view.nowMillis(), connected))
          .thenAccept(metrics::sample);
    }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return sampler;
  }

  private static ClusterSample sample(CoreStatus core, FailureDetector detector, long auditHead, long nowMillis,
      SortedMap<String, Boolean> connected) {
    SortedMap<String, Boolean> suspected = new TreeMap<>();
    connected.keySet().forEach(peer -> suspected.put(peer, detector.isSuspected(peer, nowMillis)));
    return new ClusterSample(core.leads(), core.leader() == null ? "" : core.leader(), core.epoch(),
        core.slotsInFlight(), core.deliveredUpTo(), auditHead, core.waitingClients(),
        new TreeMap<>(detector.phis(nowMillis)), connected, suspected);
  }

  /** Accepted peer messages and the rejected ones by reason, as the metric's outcome label has them. */
  static Map<String, Long> peerMessages(TransportCounters counters) {
    Map<String, Long> outcomes = new TreeMap<>();
    outcomes.put("accepted", counters.accepted());
    for (EnvelopeRejection reason : EnvelopeRejection.values()) {
      outcomes.put(reason.name().toLowerCase(Locale.ROOT), counters.rejected(reason));
    }
    return outcomes;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
