package dev.chil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.HostPort;
import dev.chil.proto.v1.PeerAck;
import dev.chil.proto.v1.PeerEnvelope;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes exchanging signed envelopes over real mTLS streams on loopback. */
class PeerTransportIT {
  private static final Set<String> ROSTER = Set.of("node-1", "node-2", "node-3");
  private static TestPki pki;
  /** This test's nodes only exchange messages; forwarding is the cluster test's business. */
  private static final PeerService.Forwarded NOT_A_LEADER = new PeerService.Forwarded() {
    @Override
    public CompletableFuture<ProposeResponse> propose(dev.chil.audit.chain.Command command) {
      return CompletableFuture.failedFuture(new IllegalStateException("not in this test"));
    }

    @Override
    public CompletableFuture<ReadResponse> read(String key) {
      return CompletableFuture.failedFuture(new IllegalStateException("not in this test"));
    }
  };

  private final Map<String, Server> servers = new TreeMap<>();
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, BlockingQueue<AuthenticatedMessage>> inboxes = new TreeMap<>();
  private final Map<String, TransportCounters> counters = new TreeMap<>();
  private final List<PeerTransport> transports = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void makePki() throws Exception {
    pki = new TestPki("node-1", "node-2", "node-3");
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (PeerTransport transport : transports) {
      transport.close();
    }
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server server : servers.values()) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void messagesArriveAuthenticatedAndBroadcastsReachEveryPeer() throws Exception {
    for (String node : ROSTER) {
      startServer(node, 0);
    }
    PeerTransport node1 = startTransport("node-1");
    PeerTransport node2 = startTransport("node-2");

    node1.send("node-2", "paxos.Prepare", bytes("ballot 1"));
    node2.broadcast("paxos.Promise", bytes("promise 1"));

    assertThat(inboxes.get("node-2").poll(10, TimeUnit.SECONDS))
        .isEqualTo(new AuthenticatedMessage("node-1", "paxos.Prepare", bytes("ballot 1")));
    assertThat(inboxes.get("node-1").poll(10, TimeUnit.SECONDS))
        .isEqualTo(new AuthenticatedMessage("node-2", "paxos.Promise", bytes("promise 1")));
    assertThat(inboxes.get("node-3").poll(10, TimeUnit.SECONDS))
        .isEqualTo(new AuthenticatedMessage("node-2", "paxos.Promise", bytes("promise 1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> node1.connected().equals(Map.of("node-2", true, "node-3", true)));
  }

  @Test
  void aPeerClaimingAnotherNodesIdIsDroppedAndCounted() throws Exception {
    startServer("node-2", 0);
    // node-3 opens a stream to node-2 with its own certificate, then sends envelopes signed by
    // node-1 (replayed) and claiming node-1.
    EnvelopeAuthenticator node1 = new EnvelopeAuthenticator(pki.nodes.get("node-1").signer(), pki.verifier(), ROSTER);
    StreamObserver<PeerEnvelope> stream = openRawStream(pki.nodes.get("node-3"), "node-2", new CompletableFuture<>());
    stream.onNext(node1.seal("paxos.Prepare", bytes("forged")));
    stream.onNext(node1.seal("paxos.Prepare", bytes("forged")).toBuilder().setSender("node-3").build());

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(counters.get("node-2").rejected(EnvelopeRejection.SENDER_MISMATCH)).isEqualTo(1);
      assertThat(counters.get("node-2").rejected(EnvelopeRejection.BAD_SIGNATURE)).isEqualTo(1);
    });
    assertThat(inboxes.get("node-2")).isEmpty();
    assertThat(counters.get("node-2").accepted()).isZero();
    stream.onCompleted();
  }

  @Test
  void aClientCertificateCannotOpenAPeerStream() throws Exception {
    startServer("node-2", 0);
    Credentials alice = pki.issue(Identity.client(TestPki.CLUSTER, "alice"));
    CompletableFuture<Status> ended = new CompletableFuture<>();

    openRawStream(alice, "node-2", ended).onNext(PeerEnvelope.getDefaultInstance());

    assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aLinkRefusesANodeAnsweringAtAnotherNodesAddress() throws Exception {
    startServer("node-3", 0);
    // node-1 believes node-2 listens where node-3 does.
    TransportCounters node1Counters = new TransportCounters();
    PeerTransport node1 = PeerTransport.start(pki.nodes.get("node-1"), pki.trust, Clock.systemUTC(),
        Map.of("node-2", new HostPort("127.0.0.1", ports.get("node-3"))), authenticator("node-1"),
        node1Counters, 100, 1 << 20);
    transports.add(node1);

    node1.send("node-2", "paxos.Prepare", bytes("for node-2 only"));

    assertThat(inboxes.get("node-3").poll(2, TimeUnit.SECONDS)).isNull();
    assertThat(node1.connected()).containsEntry("node-2", false);
  }

  @Test
  void aLinkReconnectsAndDeliversWhatWaitedWhileThePeerWasDown() throws Exception {
    startServer("node-1", 0);
    startServer("node-2", 0);
    PeerTransport node1 = startTransport("node-1");
    node1.send("node-2", "peer.Heartbeat", bytes("1"));
    assertThat(inboxes.get("node-2").poll(10, TimeUnit.SECONDS)).isNotNull();

    int port = ports.get("node-2");
    servers.remove("node-2").shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !node1.connected().get("node-2"));
    for (int i = 2; i <= 4; i++) {
      node1.send("node-2", "peer.Heartbeat", bytes(Integer.toString(i)));
    }
    startServer("node-2", port);

    List<String> delivered = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      AuthenticatedMessage message = inboxes.get("node-2").poll(100, TimeUnit.MILLISECONDS);
      if (message != null) {
        delivered.add(message.payload().toStringUtf8());
      }
      assertThat(delivered).contains("4");
    });
    // Waiting messages are delivered in order; the first ones may have been written to the dying
    // stream and lost, which is what protocol retransmission is for.
    assertThat(delivered).isSortedAccordingTo(String::compareTo);
  }

  private void startServer(String node, int port) throws Exception {
    BlockingQueue<AuthenticatedMessage> inbox = inboxes.computeIfAbsent(node, n -> new ArrayBlockingQueue<>(1000));
    TransportCounters nodeCounters = counters.computeIfAbsent(node, n -> new TransportCounters());
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .sslContext(TlsContexts.server(pki.nodes.get(node), pki.trust, Clock.systemUTC()))
        .addService(ServerInterceptors.intercept(
            new PeerService(authenticator(node), inbox::offer, nodeCounters, NOT_A_LEADER, null),
            AuthenticatedIdentityInterceptor.allowing(TestPki.CLUSTER, Role.NODE)))
        .build()
        .start();
    servers.put(node, server);
    ports.put(node, server.getPort());
  }

  private PeerTransport startTransport(String node) throws Exception {
    Map<String, HostPort> peers = new TreeMap<>();
    ports.forEach((peer, port) -> {
      if (!peer.equals(node)) {
        peers.put(peer, new HostPort("127.0.0.1", port));
      }
    });
    PeerTransport transport = PeerTransport.start(pki.nodes.get(node), pki.trust, Clock.systemUTC(), peers,
        authenticator(node), counters.computeIfAbsent(node, n -> new TransportCounters()), 100, 1 << 20);
    transports.add(transport);
    return transport;
  }

  private EnvelopeAuthenticator authenticator(String node) {
    try {
      return new EnvelopeAuthenticator(pki.nodes.get(node).signer(), pki.verifier(), ROSTER);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private StreamObserver<PeerEnvelope> openRawStream(Credentials credentials, String node, CompletableFuture<Status> ended)
      throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ports.get(node))
        .sslContext(TlsContexts.client(credentials, pki.trust, Clock.systemUTC()))
        .build();
    channels.add(channel);
    return PeerServiceGrpc.newStub(channel).exchange(new StreamObserver<PeerAck>() {
      @Override
      public void onNext(PeerAck ack) {}

      @Override
      public void onError(Throwable error) {
        ended.complete(Status.fromThrowable(error));
      }

      @Override
      public void onCompleted() {
        ended.complete(Status.OK);
      }
    });
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }
}
