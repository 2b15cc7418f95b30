package dev.chil.node.metrics;

import dev.chil.node.config.HostPort;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/** Prometheus text over HTTP at {@code metrics_address}: {@code /metrics}, plus {@code /-/healthy}. */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  public static MetricsEndpoint start(HostPort address, NodeMetrics metrics) throws IOException {
    return new MetricsEndpoint(HTTPServer.builder().hostname(address.host()).port(address.port())
        .registry(metrics.registry()).buildAndStart());
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
