package dev.chil.node.assembly;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.EnvelopeAuthenticator;
import dev.chil.node.transport.IdentityService;
import dev.chil.node.transport.PeerService;
import dev.chil.node.transport.PeerTransport;
import dev.chil.node.transport.TransportCounters;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.IdentityServiceGrpc;
import dev.chil.proto.v1.PeerServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's gRPC ports, mutual TLS on every connection. Which certificate role may call what:
 * the peer service is for nodes; the consensus service for clients (a node certificate cannot act
 * as a client, nor a client's as a peer); identity, health and reflection answer both. Health is
 * per service: NOT_SERVING while the node recovers its state, and once it stops.
 *
 * <p>Peers call the bind address, whose message limit fits the largest peer message. With a
 * {@code client_address}, clients call a port of their own, whose limit fits the largest valid
 * request, so gRPC refuses a larger message from its 5-byte header, before any of it is read or
 * any handler runs. Without one, clients share the peer port and its limit.
 */
final class NodeServer implements AutoCloseable {
  /** How long in-flight client calls get to finish on close; peer streams never finish by themselves. */
  static final Duration CLOSE_GRACE = Duration.ofMillis(500);
  /** A client or peer may ping this often with keepalives before it is told to calm down. */
  static final Duration KEEPALIVE_PERMITTED = Duration.ofSeconds(10);

  private final Server peerServer;
  private final Server clientServer; // null: clients call the peer server
  private final HealthStatusManager health;
  // The peer and consensus services, stand-ins answering UNAVAILABLE until serve() puts the real ones.
  private final MutableHandlerRegistry latePeer;
  private final MutableHandlerRegistry lateClient;
  private final NodeConfig config;
  private volatile ClientApi clients; // null until serve()
  private volatile boolean stopped; // after notServing(): nothing reports SERVING again

  private NodeServer(Server peerServer, Server clientServer, HealthStatusManager health,
      MutableHandlerRegistry latePeer, MutableHandlerRegistry lateClient, NodeConfig config) {
    this.peerServer = peerServer;
    this.clientServer = clientServer;
    this.health = health;
    this.latePeer = latePeer;
    this.lateClient = lateClient;
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
    MutableHandlerRegistry latePeer = new MutableHandlerRegistry();
    boolean ownClientPort = config.clientAddress().isPresent();
    MutableHandlerRegistry lateClient = ownClientPort ? new MutableHandlerRegistry() : latePeer;
    latePeer.addService(ServerInterceptors.intercept(
        Starting.unavailable(PeerServiceGrpc.getServiceDescriptor()), guard(config, Role.NODE)));
    lateClient.addService(ServerInterceptors.intercept(
        Starting.unavailable(ConsensusServiceGrpc.getServiceDescriptor()), guard(config, Role.CLIENT)));
    int clientLimit = new ClientLimits(config.batching().bytesMax()).messageBytesMax();
    int peerLimit = ownClientPort ? ConsensusNode.PEER_MESSAGE_BYTES_MAX
        : Math.max(ConsensusNode.PEER_MESSAGE_BYTES_MAX, clientLimit);
    Server peerServer = listen(config, config.bindAddress(), credentials, trust, clock, peerLimit, health, latePeer);
    Server clientServer = null;
    if (ownClientPort) {
      try {
        clientServer = listen(config, config.clientAddress().get(), credentials, trust, clock, clientLimit, health,
            lateClient);
      } catch (NodeStartException e) {
        peerServer.shutdownNow();
        throw e;
      }
    }
    setStatus(health, ServingStatus.NOT_SERVING);
    health.setStatus(IdentityServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    return new NodeServer(peerServer, clientServer, health, latePeer, lateClient, config);
  }

  private static Server listen(NodeConfig config, HostPort address, Credentials credentials, ClusterTrust trust,
      Clock clock, int messageBytesMax, HealthStatusManager health, MutableHandlerRegistry late)
      throws NodeStartException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(address.host(), address.port()))
        .maxInboundMessageSize(messageBytesMax)
        .permitKeepAliveTime(KEEPALIVE_PERMITTED.toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true);
    try {
      if (config.security().tlsEnabled()) {
        builder.sslContext(TlsContexts.server(credentials, trust, clock));
      }
      for (BindableService service : List.of(new IdentityService(), health.getHealthService(),
          ProtoReflectionServiceV1.newInstance(), reflectionV1Alpha())) {
        builder.addService(either(config, service));
      }
      return builder.fallbackHandlerRegistry(late).build().start();
    } catch (IOException e) {
      throw new NodeStartException("cannot listen on " + address + ": " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
    }
  }

  /** grpcurl and older tools ask the v1alpha reflection service; newer ones v1. */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }

  /**
   * Puts the peer and consensus services in place of their stand-ins, and reports SERVING. The
   * consensus service's calls pass {@code clientPolicy} once their caller is authenticated.
   */
  void serve(ProtocolCore core, Driver driver, EnvelopeAuthenticator authenticator, TransportCounters counters,
      PeerTransport transport, Supplier<CompletableFuture<NodeStatus>> status, ServerInterceptor clientPolicy,
      Optional<PbftVouching> vouching, String signedRoster) {
    ClientApi api = ClientApi.start(config, core, driver, transport, status, vouching, signedRoster);
    clients = api;
    PeerService peers = new PeerService(authenticator, core.inbound(driver), counters, api.forwarded(),
        vouching.orElse(null));
    latePeer.addService(ServerInterceptors.intercept(peers, guard(config, Role.NODE)));
    // The last interceptor runs first: the caller is authenticated before the policy looks at it.
    lateClient.addService(ServerInterceptors.intercept(api.service(), clientPolicy, guard(config, Role.CLIENT)));
    setStatus(health, ServingStatus.SERVING);
  }

  /** The overall status ("") and the peer and consensus services', which answer only once the node works. */
  private static void setStatus(HealthStatusManager health, ServingStatus status) {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(PeerServiceGrpc.SERVICE_NAME, status);
    health.setStatus(ConsensusServiceGrpc.SERVICE_NAME, status);
  }

  private static ServerServiceDefinition either(NodeConfig config, BindableService service) {
    return ServerInterceptors.intercept(service, guard(config, Role.NODE, Role.CLIENT));
  }

  /** Who may call: identity from the TLS certificate, or (--insecure-dev only) as claimed in a header. */
  private static AuthenticatedIdentityInterceptor guard(NodeConfig config, Role first, Role... rest) {
    return config.security().tlsEnabled()
        ? AuthenticatedIdentityInterceptor.allowing(config.cluster(), first, rest)
        : AuthenticatedIdentityInterceptor.trustingClaimsForDevelopment(config.cluster(), first, rest);
  }

  /** Health checks answer NOT_SERVING from now on: the node can no longer do its work. */
  void notServing() {
    stopped = true;
    setStatus(health, ServingStatus.NOT_SERVING);
  }

  /**
   * While the node is lagging (catching up from its peers) its consensus service reports
   * NOT_SERVING, so that probes and balancers send clients to nodes that are caught up; the peer
   * service keeps serving, since catching up needs it.
   */
  void lagging(boolean lagging) {
    if (!stopped) {
      health.setStatus(ConsensusServiceGrpc.SERVICE_NAME, lagging ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);
    }
  }

  /** The port peers call. */
  int port() {
    return peerServer.getPort();
  }

  /** The port clients call. */
  int clientPort() {
    return (clientServer != null ? clientServer : peerServer).getPort();
  }

  /** See {@link ClientApi#callsInProgress()}; zero before the node serves. */
  int callsInProgress() {
    ClientApi api = clients;
    return api == null ? 0 : api.callsInProgress();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    List<Server> servers = clientServer == null ? List.of(peerServer) : List.of(clientServer, peerServer);
    servers.forEach(Server::shutdown);
    try {
      for (Server server : servers) {
        if (!server.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      servers.forEach(Server::shutdownNow);
    }
    ClientApi api = clients;
    if (api != null) {
      api.close();
    }
  }
}
