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
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's gRPC ports, mutual TLS on every connection. Which certificate role may call what:
 * the peer service is for nodes; the consensus service for clients (a node certificate cannot act
 * as a client, nor a client's as a peer); identity and health answer both.
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
  private final ClientApi clients;

  private NodeServer(Server peerServer, Server clientServer, HealthStatusManager health, ClientApi clients) {
    this.peerServer = peerServer;
    this.clientServer = clientServer;
    this.health = health;
    this.clients = clients;
  }

  static NodeServer start(NodeConfig config, Credentials credentials, ClusterTrust trust, Clock clock, Driver driver,
      EnvelopeAuthenticator authenticator, TransportCounters counters, PeerTransport transport)
      throws NodeStartException {
    ClientApi clients = ClientApi.start(config, driver, transport);
    PeerService peers = new PeerService(authenticator, new PaxosInbound(driver), counters, clients.forwarded());
    HealthStatusManager health = new HealthStatusManager();
    ServerServiceDefinition consensus = ServerInterceptors.intercept(clients.service(), guard(config, Role.CLIENT));
    List<ServerServiceDefinition> onPeerPort = new ArrayList<>(List.of(
        ServerInterceptors.intercept(peers, guard(config, Role.NODE)),
        either(config, new IdentityService()),
        either(config, health.getHealthService())));
    Server peerServer = null;
    try {
      int peerLimit = ConsensusNode.PEER_MESSAGE_BYTES_MAX;
      if (config.clientAddress().isEmpty()) {
        onPeerPort.add(consensus);
        peerLimit = Math.max(peerLimit, clients.limits().messageBytesMax());
      }
      peerServer = listen(config, config.bindAddress(), credentials, trust, clock, peerLimit, onPeerPort);
      Server clientServer = null;
      if (config.clientAddress().isPresent()) {
        clientServer = listen(config, config.clientAddress().get(), credentials, trust, clock,
            clients.limits().messageBytesMax(),
            List.of(consensus, either(config, new IdentityService()), either(config, health.getHealthService())));
      }
      health.setStatus("", ServingStatus.SERVING);
      return new NodeServer(peerServer, clientServer, health, clients);
    } catch (NodeStartException e) {
      if (peerServer != null) {
        peerServer.shutdownNow();
      }
      clients.close();
      throw e;
    }
  }

  private static Server listen(NodeConfig config, HostPort address, Credentials credentials, ClusterTrust trust,
      Clock clock, int messageBytesMax, List<ServerServiceDefinition> services) throws NodeStartException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(address.host(), address.port()))
        .maxInboundMessageSize(messageBytesMax)
        .permitKeepAliveTime(KEEPALIVE_PERMITTED.toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true);
    try {
      if (config.security().tlsEnabled()) {
        builder.sslContext(TlsContexts.server(credentials, trust, clock));
      }
      services.forEach(builder::addService);
      return builder.build().start();
    } catch (IOException e) {
      throw new NodeStartException("cannot listen on " + address + ": " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
    }
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
    health.setStatus("", ServingStatus.NOT_SERVING);
  }

  /** The port peers call. */
  int port() {
    return peerServer.getPort();
  }

  /** The port clients call. */
  int clientPort() {
    return (clientServer != null ? clientServer : peerServer).getPort();
  }

  /** See {@link ClientApi#callsInProgress()}. */
  int callsInProgress() {
    return clients.callsInProgress();
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
    clients.close();
  }
}
