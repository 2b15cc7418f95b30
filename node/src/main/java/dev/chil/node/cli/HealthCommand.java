package dev.chil.node.cli;

import dev.chil.node.config.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chil health}: the standard gRPC health check over mutual TLS, for probes (Kubernetes'
 * own gRPC probe cannot present a client certificate) and for people.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Ask a node's gRPC health service; exit 0 if SERVING, 1 otherwise.",
        "A node or a client certificate may ask."})
final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--service", paramLabel = "NAME", defaultValue = "",
      description = "The service to ask about, e.g. chil.consensus.v1.ConsensusService (default: the whole node).")
  String service;

  @Override
  public Integer call() throws Exception {
    ManagedChannel channel = ClientChannel.open(HostPort.parse(client.target()), client.certFile, client.keyFile,
        client.caFile, client.insecure);
    try {
      ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(client.timeoutSeconds, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus();
      spec.commandLine().getOut().println(status);
      return status == ServingStatus.SERVING ? 0 : Main.EXIT_FAILURE;
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException("health of " + client.target() + " failed: " + ClientChannel.describe(e), e);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
