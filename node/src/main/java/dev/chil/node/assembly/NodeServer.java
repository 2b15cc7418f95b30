package dev.chil.node.assembly;

import dev.chil.audit.Command;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.Replica;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.EnvelopeAuthenticator;
import dev.chil.node.transport.IdentityService;
import dev.chil.node.transport.PeerService;
import dev.chil.node.transport.PeerTransport;
import dev.chil.node.transport.TransportCounters;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The node's one gRPC port, mutual TLS on every connection. Which certificate role may call what:
 * the peer service is for nodes; the consensus service for clients (a node certificate cannot act
 * as a client, nor a client's as a peer); identity and health answer both.
 */
final class NodeServer implements AutoCloseable {
  /** How long in-flight client calls get to finish on close; peer streams never finish by themselves. */
  static final Duration CLOSE_GRACE = Duration.ofMillis(500);
  /** A client or peer may ping this often with keepalives before it is told to calm down. */
  static final Duration KEEPALIVE_PERMITTED = Duration.ofSeconds(10);

  private final Server server;
  private final HealthStatusManager health;
  private final ScheduledThreadPoolExecutor calls;
  private final LeaderWatch leaderWatch;

  private NodeServer(Server server, HealthStatusManager health, ScheduledThreadPoolExecutor calls,
      LeaderWatch leaderWatch) {
    this.server = server;
    this.health = health;
    this.calls = calls;
    this.leaderWatch = leaderWatch;
  }

  static NodeServer start(NodeConfig config, Credentials credentials, ClusterTrust trust, Clock clock, Driver driver,
      EnvelopeAuthenticator authenticator, TransportCounters counters, PeerTransport transport)
      throws NodeStartException {
    ScheduledThreadPoolExecutor scheduler = callScheduler(config.nodeId());
    LeaderWatch watch = new LeaderWatch(scheduler);
    driver.onLeaderChange(replica -> leaderOf(replica, config.nodeId()), watch::changed);
    ClientCalls clientCalls = new ClientCalls(driver, new Forwarder(transport), watch, scheduler,
        config.protocol().timeout());
    ClientLimits limits = new ClientLimits(config.batching().bytesMax());
    PeerService peers = new PeerService(authenticator, new PaxosInbound(driver), counters, new PeerService.Forwarded() {
      @Override
      public CompletableFuture<ProposeResponse> propose(Command command) {
        Optional<String> tooLarge = limits.problem(command);
        if (tooLarge.isPresent()) {
          return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.withDescription(tooLarge.get()).asRuntimeException());
        }
        return withStatus(clientCalls.propose(command, false));
      }

      @Override
      public CompletableFuture<ReadResponse> read(String key) {
        return withStatus(clientCalls.read(key, false));
      }
    });
    ConsensusService consensus = new ConsensusService(clientCalls, limits,
        () -> NodeStatus.of(config, driver, transport), config.protocol().timeout());
    HealthStatusManager health = new HealthStatusManager();
    try {
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(config.bindAddress().host(), config.bindAddress().port()));
      if (config.security().tlsEnabled()) {
        builder.sslContext(TlsContexts.server(credentials, trust, clock));
      }
      Server server = builder
          .maxInboundMessageSize(Math.max(ConsensusNode.PEER_MESSAGE_BYTES_MAX, limits.messageBytesMax()))
          .permitKeepAliveTime(KEEPALIVE_PERMITTED.toMillis(), TimeUnit.MILLISECONDS)
          .permitKeepAliveWithoutCalls(true)
          .addService(ServerInterceptors.intercept(peers, guard(config, Role.NODE)))
          .addService(ServerInterceptors.intercept(consensus, guard(config, Role.CLIENT)))
          .addService(ServerInterceptors.intercept(new IdentityService(), guard(config, Role.NODE, Role.CLIENT)))
          .addService(ServerInterceptors.intercept(health.getHealthService(), guard(config, Role.NODE, Role.CLIENT)))
          .build()
          .start();
      health.setStatus("", ServingStatus.SERVING);
      return new NodeServer(server, health, scheduler, watch);
    } catch (IOException e) {
      scheduler.shutdownNow();
      throw new NodeStartException("cannot listen on " + config.bindAddress() + ": " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
    }
  }

  /** Who leads as the core sees it: this node when it leads, never itself otherwise; null when unknown. */
  static String leaderOf(Replica replica, String self) {
    PaxosReplica paxos = (PaxosReplica) replica;
    if (paxos.isLeader()) {
      return self;
    }
    return self.equals(paxos.leaderHint()) ? null : paxos.leaderHint();
  }

  /** One thread for the deadlines, pauses and wake-ups of waiting calls; cancelled timers leave at once. */
  private static ScheduledThreadPoolExecutor callScheduler(String nodeId) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "chil-calls-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  /** A forwarded call's failure, as the status the forwarding node passes on or acts on. */
  private static <T> CompletableFuture<T> withStatus(CompletableFuture<T> answer) {
    return answer.handle((value, error) -> {
      if (error != null) {
        throw ClientStatus.of(error);
      }
      return value;
    });
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

  int port() {
    return server.getPort();
  }

  /**
   * Client calls this node holds now: each has a deadline timer until it ends, and may wait for
   * a leader. Zero once every call has been answered, failed or cancelled.
   */
  int callsInProgress() {
    return calls.getQueue().size() + leaderWatch.waiting();
  }

  @Override
  public void close() {
    calls.shutdownNow();
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
