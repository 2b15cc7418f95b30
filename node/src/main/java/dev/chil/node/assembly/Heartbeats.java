package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.node.transport.PeerTransport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends every peer a signed heartbeat each interval, so that each node's failure detector hears
 * from every other node, not only from the leader.
 */
final class Heartbeats implements AutoCloseable {
  static final String MESSAGE_TYPE = "peer.Heartbeat";
  private final ScheduledExecutorService executor;

  private Heartbeats(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static Heartbeats start(PeerTransport transport, Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chil-heartbeats");
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleAtFixedRate(() -> transport.broadcast(MESSAGE_TYPE, ByteString.EMPTY),
        0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new Heartbeats(executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
