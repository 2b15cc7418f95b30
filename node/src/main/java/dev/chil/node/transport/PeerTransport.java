package dev.chil.node.transport;

import com.google.protobuf.ByteString;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.ClaimedIdentity;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.HostPort;
import dev.chil.node.discovery.PeerDiscovery;
import dev.chil.node.discovery.StaticPeerDiscovery;
import dev.chil.proto.v1.PeerEnvelope;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The outbound half of node-to-node messaging: one mTLS channel and one long-lived stream per
 * peer, each dialled peer required to present exactly its own node certificate. A message is
 * signed once, however many peers it goes to.
 */
public final class PeerTransport implements AutoCloseable {
  static final Duration RECONNECT_INITIAL = Duration.ofMillis(100);
  static final Duration RECONNECT_MAX = Duration.ofSeconds(5);
  static final Duration KEEPALIVE = Duration.ofSeconds(30);
  static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

  private final EnvelopeAuthenticator authenticator;
  private final SortedMap<String, PeerLink> links;
  private final ScheduledExecutorService executor;

  private PeerTransport(EnvelopeAuthenticator authenticator, SortedMap<String, PeerLink> links,
      ScheduledExecutorService executor) {
    this.authenticator = authenticator;
    this.links = links;
    this.executor = executor;
  }

  /**
   * @param peers the other members of the cluster and where they listen (this node excluded)
   * @param queueMax how many messages wait per peer while it is unreachable
   * @param messageBytesMax the largest message accepted from a peer
   */
  public static PeerTransport start(Credentials credentials, ClusterTrust trust, Clock clock,
      Map<String, HostPort> peers, EnvelopeAuthenticator authenticator, TransportCounters counters,
      int queueMax, int messageBytesMax) throws SSLException {
    return start(credentials, trust, clock, peers, authenticator, counters, queueMax, messageBytesMax, true);
  }

  /**
   * @param tls false only for --insecure-dev: plaintext channels on which this node claims its
   *     identity in a header; its messages are still signed, and peers still check the signatures
   */
  public static PeerTransport start(Credentials credentials, ClusterTrust trust, Clock clock,
      Map<String, HostPort> peers, EnvelopeAuthenticator authenticator, TransportCounters counters,
      int queueMax, int messageBytesMax, boolean tls) throws SSLException {
    return start(credentials, trust, clock, new TreeSet<>(peers.keySet()), new StaticPeerDiscovery(peers),
        authenticator, counters, queueMax, messageBytesMax, tls);
  }

  /**
   * @param peers the other members of the roster (this node excluded)
   * @param discovery where they are; each channel follows it as it learns or changes addresses
   */
  public static PeerTransport start(Credentials credentials, ClusterTrust trust, Clock clock,
      SortedSet<String> peers, PeerDiscovery discovery, EnvelopeAuthenticator authenticator,
      TransportCounters counters, int queueMax, int messageBytesMax, boolean tls) throws SSLException {
    // One thread serves every link: they only move buffers; signing happens before, TLS in Netty.
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "chil-peer-links");
      thread.setDaemon(true);
      return thread;
    });
    // On close, a reconnect waiting out its backoff is dropped instead of holding the shutdown up.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    Random jitter = new Random();
    SortedMap<String, PeerLink> links = new TreeMap<>();
    DiscoveryNameResolver.Factory resolver = new DiscoveryNameResolver.Factory(discovery);
    for (String peer : peers) {
      Identity identity = Identity.node(trust.cluster(), peer);
      @SuppressWarnings("deprecation") // a per-channel factory; the registry alternative is process-wide
      NettyChannelBuilder builder = NettyChannelBuilder.forTarget(DiscoveryNameResolver.target(peer))
          .nameResolverFactory(resolver);
      if (tls) {
        builder.sslContext(TlsContexts.peer(credentials, trust, clock, identity));
      } else {
        builder.usePlaintext().intercept(ClaimedIdentity.claiming(credentials.identity()));
      }
      ManagedChannel channel = builder
          .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveWithoutCalls(true)
          .maxInboundMessageSize(messageBytesMax)
          .build();
      links.put(peer, new PeerLink(peer, channel, executor,
          new Backoff(RECONNECT_INITIAL, RECONNECT_MAX, jitter), queueMax, counters));
    }
    PeerTransport transport = new PeerTransport(authenticator, Collections.unmodifiableSortedMap(links), executor);
    links.values().forEach(PeerLink::start);
    return transport;
  }

  /** Signs once and sends to one peer. */
  public void send(String peer, String messageType, ByteString payload) {
    send(List.of(peer), messageType, payload);
  }

  /** Signs once and sends to each of these peers. */
  public void send(List<String> peers, String messageType, ByteString payload) {
    List<PeerLink> targets = new ArrayList<>(peers.size());
    for (String peer : peers) {
      PeerLink link = links.get(peer);
      if (link == null) {
        throw new IllegalArgumentException("not a peer: " + peer);
      }
      targets.add(link);
    }
    PeerEnvelope envelope = authenticator.seal(messageType, payload);
    targets.forEach(link -> link.send(envelope));
  }

  /** Signs once and sends to every peer. */
  public void broadcast(String messageType, ByteString payload) {
    PeerEnvelope envelope = authenticator.seal(messageType, payload);
    links.values().forEach(link -> link.send(envelope));
  }

  /** The channel to a peer, for calls beside the message stream (a forwarded proposal). */
  public ManagedChannel channel(String peer) {
    PeerLink link = links.get(peer);
    if (link == null) {
      throw new IllegalArgumentException("not a peer: " + peer);
    }
    return link.channel();
  }

  /** Whether each peer's channel is connected now, by peer name. */
  public SortedMap<String, Boolean> connected() {
    SortedMap<String, Boolean> connected = new TreeMap<>();
    links.forEach((peer, link) -> connected.put(peer, link.connected()));
    return connected;
  }

  /** How many of this node's messages each peer has acknowledged on its current stream. */
  public SortedMap<String, Long> acknowledged() {
    SortedMap<String, Long> acknowledged = new TreeMap<>();
    links.forEach((peer, link) -> acknowledged.put(peer, link.acknowledged()));
    return acknowledged;
  }

  @Override
  public void close() throws InterruptedException {
    links.values().forEach(PeerLink::close);
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
    for (PeerLink link : links.values()) {
      link.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
