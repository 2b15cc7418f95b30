package dev.chil.node.assembly;

import dev.chil.node.core.common.Replica;
import dev.chil.node.runtime.Driver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the health service, each interval, whether the node is lagging (catching up from its
 * peers), so that a load balancer or a readiness probe on the consensus service sends clients to
 * nodes that are caught up meanwhile. Logs each change, since an operator wants to know why.
 */
final class LagHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LagHealth.class);
  private final ScheduledExecutorService executor;
  private volatile Boolean lastLagging; // null until the first answer

  private LagHealth(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static LagHealth start(String nodeId, Driver driver, Function<Replica, CoreStatus> status, Duration interval,
      Consumer<Boolean> lagging) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chil-lag-health-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
    LagHealth health = new LagHealth(executor);
    executor.scheduleWithFixedDelay(() -> driver.inspect(view -> status.apply(view.replica()).lagging())
        .thenAccept(now -> health.report(nodeId, now, lagging)), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return health;
  }

  private void report(String nodeId, boolean lagging, Consumer<Boolean> sink) {
    if (!Boolean.valueOf(lagging).equals(lastLagging)) {
      if (lastLagging != null || lagging) {
        LOG.info("node {} is {}", nodeId, lagging ? "lagging: catching up from its peers; its consensus service"
            + " reports NOT_SERVING until it has" : "caught up: its consensus service reports SERVING");
      }
      lastLagging = lagging;
    }
    sink.accept(lagging);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
