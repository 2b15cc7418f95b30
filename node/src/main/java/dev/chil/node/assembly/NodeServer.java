package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.EnvelopeAuthenticator;
import dev.chil.node.transport.IdentityService;
import dev.chil.node.transport.PeerService;
import dev.chil.node.transport.PeerTransport;
import dev.chil.node.transport.TransportCounters;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.IdentityServiceGrpc;
import dev.chil.proto.v1.PeerServiceGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's one gRPC port, mutual TLS on every connection. Which certificate role may call what:
 * the peer service is for nodes; the consensus service for clients (a node certificate cannot act
 * as a client, nor a client's as a peer); identity, health and reflection answer both. Health is
 * per service: NOT_SERVING while the node recovers its state, and once it stops.
 */
final class NodeServer implements AutoCloseable {
  /** How long in-flight client calls get to finish on close; peer streams never finish by themselves. */
  static final Duration CLOSE_GRACE = Duration.ofMillis(500);
  /** A client or peer may ping this often with keepalives before it is told to calm down. */
  static final Duration KEEPALIVE_PERMITTED = Duration.ofSeconds(10);

  private final Server server;
  private final HealthStatusManager health;
  private final MutableHandlerRegistry late;
  private final NodeConfig config;

  private NodeServer(Server server, HealthStatusManager health, MutableHandlerRegistry late, NodeConfig config) {
    this.server = server;
    this.health = health;
    this.late = late;
    this.config = config;
  }

  /**
   * Listens at once, so that health checks, reflection and identity answer while the node
   * recovers (and peers can map its address to its certificate meanwhile); the peer and consensus
   * services answer UNAVAILABLE and report NOT_SERVING until {@link #serve}.
   */
  static NodeServer listen(NodeConfig config, Credentials credentials, ClusterTrust trust, Clock clock)
      throws NodeStartException {
    HealthStatusManager health = new HealthStatusManager();
    MutableHandlerRegistry late = new MutableHandlerRegistry();
    late.addService(ServerInterceptors.intercept(
        Starting.unavailable(PeerServiceGrpc.getServiceDescriptor()), guard(config, Role.NODE)));
    late.addService(ServerInterceptors.intercept(
        Starting.unavailable(ConsensusServiceGrpc.getServiceDescriptor()), guard(config, Role.CLIENT)));
    try {
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(config.bindAddress().host(), config.bindAddress().port()));
      if (config.security().tlsEnabled()) {
        builder.sslContext(TlsContexts.server(credentials, trust, clock));
      }
      Server server = builder
          .maxInboundMessageSize(ConsensusNode.PEER_MESSAGE_BYTES_MAX)
          .permitKeepAliveTime(KEEPALIVE_PERMITTED.toMillis(), TimeUnit.MILLISECONDS)
          .permitKeepAliveWithoutCalls(true)
          .addService(ServerInterceptors.intercept(new IdentityService(), guard(config, Role.NODE, Role.CLIENT)))
          .addService(ServerInterceptors.intercept(health.getHealthService(), guard(config, Role.NODE, Role.CLIENT)))
          .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(),
              guard(config, Role.NODE, Role.CLIENT)))
          .addService(ServerInterceptors.intercept(reflectionV1Alpha(), guard(config, Role.NODE, Role.CLIENT)))
          .fallbackHandlerRegistry(late)
          .build()
          .start();
      setStatus(health, ServingStatus.NOT_SERVING);
      health.setStatus(IdentityServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
      return new NodeServer(server, health, late, config);
    } catch (IOException e) {
      throw new NodeStartException("cannot listen on " + config.bindAddress() + ": " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
    }
  }

  /** grpcurl and older tools ask the v1alpha reflection service; newer ones v1. */
  @SuppressWarnings("deprecation")
  private static io.grpc.BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }

  /** Puts the peer and consensus services in place of their stand-ins, and reports SERVING. */
  void serve(Driver driver, EnvelopeAuthenticator authenticator, TransportCounters counters, PeerTransport transport,
      Supplier<CompletableFuture<NodeStatus>> status) {
    Duration timeout = config.protocol().timeout();
    PeerService peers = new PeerService(authenticator, new PaxosInbound(driver), counters, new PeerService.Forwarded() {
      @Override
      public CompletableFuture<ProposeResponse> propose(Command command) {
        return driver.propose(command).thenApply(ConsensusService::toResponse);
      }

      @Override
      public CompletableFuture<ReadResponse> read(String key) {
        return ConsensusService.readHere(driver, key);
      }
    });
    ConsensusService consensus = new ConsensusService(driver, new Forwarder(transport, timeout), status, timeout);
    late.addService(ServerInterceptors.intercept(peers, guard(config, Role.NODE)));
    late.addService(ServerInterceptors.intercept(consensus, guard(config, Role.CLIENT)));
    setStatus(health, ServingStatus.SERVING);
  }

  /** The overall status ("") and the peer and consensus services', which answer only once the node works. */
  private static void setStatus(HealthStatusManager health, ServingStatus status) {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(PeerServiceGrpc.SERVICE_NAME, status);
    health.setStatus(ConsensusServiceGrpc.SERVICE_NAME, status);
  }

  /** Who may call: identity from the TLS certificate, or (--insecure-dev only) as claimed in a header. */
  private static AuthenticatedIdentityInterceptor guard(NodeConfig config, Role first, Role... rest) {
    return config.security().tlsEnabled()
        ? AuthenticatedIdentityInterceptor.allowing(config.cluster(), first, rest)
        : AuthenticatedIdentityInterceptor.trustingClaimsForDevelopment(config.cluster(), first, rest);
  }

  /** Health checks answer NOT_SERVING from now on: the node can no longer do its work. */
  void notServing() {
    setStatus(health, ServingStatus.NOT_SERVING);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }
}
