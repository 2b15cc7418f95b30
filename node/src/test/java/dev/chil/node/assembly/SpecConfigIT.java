package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.NodeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config example of the project's spec, written out verbatim (only its paths, addresses and
 * node name changed per node) runs a 3-node cluster: no cluster, no data_dir, peers by address
 * only, this node not listed. Members learn each other's certificates from their addresses.
 */
class SpecConfigIT {
  static final List<String> NAMES = List.of("node-1", "node-2", "node-3");

  @TempDir Path directory;
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, ConsensusNode> nodes = new TreeMap<>();

  @BeforeEach
  void writeTheSpecsConfigForEachNode() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("spec", List.of("node-1", "node-2", "node-3", "node-4"),
        List.of(), 1), Instant.now(), false);
    for (String name : NAMES) {
      ports.put(name, freePort());
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
  void aFoundingNodeRefusesAnAddressWhoseCertificateIsNotTheIdTheConfigGives() throws Exception {
    try (ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4")) {
      String config = Files.readString(configFile("node-1")).replace(
          "- address: \"127.0.0.1:" + ports.get("node-2") + "\"",
          "- id: node-2\n      address: \"127.0.0.1:" + impostor.port() + "\"");
      Files.writeString(configFile("node-1"), config);

      assertThatThrownBy(() -> start("node-1"))
          .isInstanceOf(NodeStartException.class)
          .hasMessageContaining("consensus.peers[0]: 127.0.0.1:" + impostor.port()
              + " presents the certificate of spiffe://spec/node/node-4, but the config names it 'node-2'");
    }
  }

  private ConsensusNode leader() throws Exception {
    for (ConsensusNode node : nodes.values()) {
      if (node.status().get().role().equals("leader")) {
        return node;
      }
    }
    throw new IllegalStateException("no leader yet");
  }

  private static String addressOf(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().filter(status -> status.nodeId().equals(peer)).findFirst()
        .orElseThrow().address();
  }

  /** A new cluster forms only when every member answers, so the three start side by side, as three processes would. */
  private void startAllAtOnce() throws Exception {
    List<CompletableFuture<ConsensusNode>> starting = new ArrayList<>();
    for (String name : NAMES) {
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return start(name);
        } catch (Exception e) {
          throw new IllegalStateException(name + " did not start", e);
        }
      }));
    }
    for (CompletableFuture<ConsensusNode> node : starting) {
      node.get(120, TimeUnit.SECONDS);
    }
  }

  private ConsensusNode start(String name) throws Exception {
    NodeConfig config = ConfigLoader.load(configFile(name), Map.of(), false);
    ConsensusNode node = ConsensusNode.builder().config(config).build();
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
