package dev.chil.node.assembly;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.pki.DevPki;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.discovery.ProbeListener;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.statemachine.DecisionRegistry;
import dev.chil.node.statemachine.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config example of the project's spec, written out verbatim (only its paths, addresses and
 * node name changed per node) runs a 3-node cluster: no cluster, no data_dir, peers by address
 * only, this node not listed. An admin signed the roster from node-1's config and the other
 * members' certificates (roster.json beside the CA); which member each address is, only the
 * certificate it presents says, and only a member of the signed roster is taken.
 */
class SpecConfigIT {
  static final List<String> NAMES = List.of("node-1", "node-2", "node-3");

  @TempDir Path directory;
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, ConsensusNode> nodes = new TreeMap<>();

  @BeforeEach
  void writeTheSpecsConfigForEachNode() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("spec", List.of("node-1", "node-2", "node-3", "node-4"),
        List.of("alice"), List.of("root"), 1), Instant.now(), false);
    for (String name : NAMES) {
      ports.put(name, FreePorts.next());
    }
    String example = specExample();
    for (String name : NAMES) {
      Path certs = directory.resolve(name).resolve("certs");
      Files.createDirectories(certs);
      // Each node's own certificate as /certs/node.crt, as in the spec: no other member's certificate on disk.
      Files.copy(directory.resolve("pki/" + name + ".crt"), certs.resolve("node.crt"));
      Files.copy(directory.resolve("pki/" + name + ".key"), certs.resolve("node.key"));
      Files.copy(directory.resolve("pki/ca.crt"), certs.resolve("ca.crt"));
      Files.writeString(configFile(name), adjusted(example, name));
    }
    signTheRosterBesideEachCa();
  }

  /** As chil roster sign --config node-1/consensus.yaml --node-cert node-2.crt,node-3.crt does; copied to every node. */
  private void signTheRosterBesideEachCa() throws Exception {
    NodeConfig config = ConfigLoader.load(configFile("node-1"), Map.of(), false);
    Path pki = directory.resolve("pki");
    SignedRoster signed = RosterSigning.sign(config, List.of(pki.resolve("node-2.crt"), pki.resolve("node-3.crt")),
        Credentials.load(pki.resolve("admin-root.crt"), pki.resolve("admin-root.key")), 0, Instant.now());
    assertThat(signed.genesis().roster()).extracting(RosterMember::node).containsExactly("node-1", "node-2", "node-3");
    for (String name : NAMES) {
      RosterSigning.write(directory.resolve(name).resolve("certs/roster.json"), signed);
    }
  }

  @AfterEach
  void stopEveryNode() {
    nodes.values().forEach(ConsensusNode::close);
  }

  @Test
  void theSpecsExampleRunsAThreeNodeCluster() throws Exception {
    startAllAtOnce();

    // The spec's 1s heartbeat makes an election take seconds; ConsensusNode.propose does not forward.
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> leader()
        .propose("claim-1", ByteString.copyFromUtf8("verified")).get(60, TimeUnit.SECONDS).success());
    for (ConsensusNode node : nodes.values()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> node.status().get().deliveredUpTo() >= 1);
      assertThat(node.config().cluster()).as("from the certificate's SPIFFE id").isEqualTo("spec");
      assertThat(node.config().dataDir()).isEqualTo(directory.resolve(node.config().nodeId()).resolve("data")
          .resolve(node.config().nodeId()));
      assertThat(node.status().get().peers()).as("every peer's address learned from its certificate")
          .allSatisfy(peer -> assertThat(peer.address()).isNotEqualTo("unknown"));
    }
    assertThat(Files.exists(directory.resolve("node-1/data/node-1/audit.db"))).isTrue();
  }

  @Test
  void aRestartedNodeRefusesAnAddressThatAnswersAsANonMember() throws Exception {
    startAllAtOnce();
    nodes.remove("node-3").close();
    // node-4 is a node of the same CA, but not of the roster node-3's audit log was founded with.
    try (ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4")) {
      String config = Files.readString(configFile("node-3"))
          .replace("127.0.0.1:" + ports.get("node-2"), "127.0.0.1:" + impostor.port());
      Files.writeString(configFile("node-3"), config);
      ConsensusNode restarted = start("node-3");

      await().atMost(Duration.ofSeconds(60)).until(() -> addressOf(restarted, "node-1").startsWith("127.0.0.1:"));
      await().atMost(Duration.ofSeconds(60)).until(() -> impostor.handshakes() > 0);
      assertThat(addressOf(restarted, "node-2")).as("node-4's address is never taken for a member").isEqualTo("unknown");
      assertThat(restarted.status().get().peers()).extracting(NodeStatus.PeerStatus::nodeId)
          .containsExactly("node-1", "node-2");
    }
  }

  @Test
  void aRestartedNodeRefusesAConfigThatNamesANonMember() throws Exception {
    startAllAtOnce();
    nodes.remove("node-3").close();
    String config = Files.readString(configFile("node-3")).replace(
        "- address: \"127.0.0.1:" + ports.get("node-1") + "\"",
        "- id: node-4\n      address: \"127.0.0.1:" + ports.get("node-1") + "\"");
    Files.writeString(configFile("node-3"), config);

    assertThatThrownBy(() -> start("node-3"))
        .isInstanceOf(NodeStartException.class)
        .hasMessageContaining("consensus.peers[0].id: 'node-4' is not a member of the signed roster"
            + " [node-1, node-2, node-3]");
  }

  @Test
  void aConfigThatListsMoreAddressesThanTheSignedRosterHasMembersIsRefused() throws Exception {
    // One more address than the other members may be this node's own (one list shared by all); two more cannot.
    String config = Files.readString(configFile("node-1")).replace("  protocol:",
        "    - address: \"127.0.0.1:" + FreePorts.next() + "\"\n      weight: 1\n"
            + "    - address: \"127.0.0.1:" + FreePorts.next() + "\"\n      weight: 1\n  protocol:");
    Files.writeString(configFile("node-1"), config);

    assertThatThrownBy(() -> start("node-1"))
        .isInstanceOf(NodeStartException.class)
        .hasMessageContaining("the config lists 4 peers without an id, but the signed roster has only 2 members it"
            + " does not name [node-2, node-3] (and this node)");
  }

  @Test
  void anAddressTheConfigNamesIsDialledOnlyAsThatMembersCertificate() throws Exception {
    try (ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4")) {
      String config = Files.readString(configFile("node-1")).replace(
          "- address: \"127.0.0.1:" + ports.get("node-2") + "\"",
          "- id: node-2\n      address: \"127.0.0.1:" + impostor.port() + "\"");
      Files.writeString(configFile("node-1"), config);
      startAllAtOnce();

      ConsensusNode first = nodes.get("node-1");
      await().atMost(Duration.ofSeconds(60)).until(() -> impostor.handshakes() >= 2);
      await().atMost(Duration.ofSeconds(60)).until(() -> peer(first, "node-3").connected());
      NodeStatus.PeerStatus second = peer(first, "node-2");
      assertThat(second.address()).isEqualTo("127.0.0.1:" + impostor.port());
      assertThat(second.connected()).as("node-4's certificate is not node-2's: no link").isFalse();
      assertThat(first.status().get().peers()).extracting(NodeStatus.PeerStatus::nodeId)
          .as("nor a member").containsExactly("node-2", "node-3");
    }
  }

  @Test
  void whileRecoveringHealthSaysNotServingPerServiceAndReflectionListsTheServices() throws Exception {
    startAllAtOnce();
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> leader()
        .propose("claim-1", ByteString.copyFromUtf8("verified")).get(60, TimeUnit.SECONDS).success());
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get("node-1").status().get().deliveredUpTo() >= 1);
    nodes.remove("node-1").close();
    // Recovery replays node-1's decisions into its state machine, which holds the first until released.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<ConsensusNode> forming = startInBackground("node-1", held(release));
    ManagedChannel channel = aliceChannel("node-1");
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> status(health, "") == ServingStatus.NOT_SERVING);
      assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(status(health, PeerServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThatThrownBy(() -> ConsensusServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("UNAVAILABLE: the node is starting");
      assertThat(reflectedServices(channel)).contains(ConsensusServiceGrpc.SERVICE_NAME, PeerServiceGrpc.SERVICE_NAME,
          HealthGrpc.SERVICE_NAME, "grpc.reflection.v1.ServerReflection");

      release.countDown();
      forming.get(120, TimeUnit.SECONDS);
      assertThat(status(health, "")).isEqualTo(ServingStatus.SERVING);
      assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
    return health.withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  /** What a tool such as grpcurl sees: the service names the reflection service lists. */
  private static List<String> reflectedServices(ManagedChannel channel) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<ServerReflectionResponse>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            names.complete(response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable error) {
            names.completeExceptionally(error);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    try {
      return names.get(30, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }

  private ManagedChannel aliceChannel(String node) throws Exception {
    Credentials alice = Credentials.load(directory.resolve("pki/alice.crt"), directory.resolve("pki/alice.key"));
    return NettyChannelBuilder.forAddress("127.0.0.1", ports.get(node))
        .sslContext(TlsContexts.client(alice, ClusterTrust.load("spec", directory.resolve("pki/ca.crt")),
            Clock.systemUTC()))
        .build();
  }

  private ConsensusNode leader() throws Exception {
    for (ConsensusNode node : nodes.values()) {
      if (node.status().get().role().equals("leader")) {
        return node;
      }
    }
    throw new IllegalStateException("no leader yet");
  }

  private static NodeStatus.PeerStatus peer(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().filter(status -> status.nodeId().equals(peer)).findFirst()
        .orElseThrow();
  }

  /** The default state machine, whose applies wait until {@code release} opens. */
  private static StateMachine held(CountDownLatch release) {
    DecisionRegistry registry = new DecisionRegistry(NodeConfig.ConflictResolution.FIRST_WINS);
    return new StateMachine() {
      @Override
      public Result apply(long slot, Command command) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return registry.apply(slot, command);
      }

      @Override
      public Optional<Entry> read(String key) {
        return registry.read(key);
      }
    };
  }

  private static String addressOf(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().filter(status -> status.nodeId().equals(peer)).findFirst()
        .orElseThrow().address();
  }

  /** A new cluster forms only when every member answers, so the three start side by side, as three processes would. */
  private void startAllAtOnce() throws Exception {
    List<CompletableFuture<ConsensusNode>> starting = new ArrayList<>();
    for (String name : NAMES) {
      starting.add(startInBackground(name));
    }
    for (CompletableFuture<ConsensusNode> node : starting) {
      node.get(120, TimeUnit.SECONDS);
    }
  }

  private CompletableFuture<ConsensusNode> startInBackground(String name) {
    return startInBackground(name, null);
  }

  private CompletableFuture<ConsensusNode> startInBackground(String name, StateMachine stateMachine) {
    CompletableFuture<ConsensusNode> started = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        started.complete(start(name, stateMachine));
      } catch (Exception e) {
        started.completeExceptionally(new IllegalStateException(name + " did not start", e));
      }
    }, "start-" + name);
    thread.setDaemon(true);
    thread.start();
    return started;
  }

  private ConsensusNode start(String name) throws Exception {
    return start(name, null);
  }

  private ConsensusNode start(String name, StateMachine stateMachine) throws Exception {
    NodeConfig config = ConfigLoader.load(configFile(name), Map.of(), false);
    ConsensusNode node = ConsensusNode.builder().config(config).build();
    if (stateMachine != null) {
      node.registerStateMachine(stateMachine);
    }
    node.start();
    synchronized (nodes) {
      nodes.put(name, node);
    }
    return node;
  }

  private Path configFile(String name) {
    return directory.resolve(name).resolve("consensus.yaml");
  }

  /** The spec's example with this node's name, free loopback ports and this test's certificate folder. */
  private String adjusted(String example, String name) {
    List<String> others = new ArrayList<>(NAMES);
    others.remove(name);
    return example
        .replace("\"node-1\"", "\"" + name + "\"")
        .replace("0.0.0.0:7000", "127.0.0.1:" + ports.get(name))
        .replace("node-2.cluster.local:7000", "127.0.0.1:" + ports.get(others.get(0)))
        .replace("node-3.cluster.local:7000", "127.0.0.1:" + ports.get(others.get(1)))
        .replace("/certs/", directory.resolve(name).resolve("certs") + "/");
  }

  static String specExample() throws IOException {
    try (InputStream in = SpecConfigIT.class.getResourceAsStream("/spec-config-example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
