package dev.chil.node.assembly;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.discovery.ProbeListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS discovery against a real DNS server (dnsmasq on a loopback port): node-1 finds its peers
 * through SRV records {@code _consensus._tcp.chil.test}, follows a changed answer at its next
 * refresh, and refuses an answer that points at a node outside the roster. Skipped, with a
 * message, when dnsmasq is not installed ({@code apt-get install dnsmasq-base}).
 */
class DnsDiscoveryIT {
  static final List<String> NAMES = List.of("node-1", "node-2", "node-3");

  @TempDir Path directory;
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, ConsensusNode> nodes = new TreeMap<>();
  private LocalDns dns;

  @BeforeEach
  void startDnsAndTheCluster() throws Exception {
    Assumptions.assumeTrue(LocalDns.installed(), "dnsmasq is not installed (apt-get install dnsmasq-base): skipped");
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("test", List.of("node-1", "node-2", "node-3",
        "node-4"), List.of(), List.of("root"), 1), Instant.now(), false);
    for (String name : NAMES) {
      ports.put(name, FreePorts.next());
    }
    dns = LocalDns.start(directory, FreePorts.next(), records(ports));
    for (String name : NAMES) {
      Files.writeString(configFile(name), config(name));
    }
    // The admin signs who the members are; DNS only says where they listen.
    DevRoster.sign(ConfigLoader.load(configFile("node-1"), Map.of(), false), directory.resolve("pki"), "root");
    for (String name : NAMES) {
      start(name);
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    nodes.values().forEach(ConsensusNode::close);
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void aChangedAnswerIsFollowedAtTheNextRefresh() throws Exception {
    ConsensusNode first = nodes.get("node-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-3", ports.get("node-3")));

    nodes.remove("node-3").close();
    ports.put("node-3", FreePorts.next()); // node-3 comes back elsewhere, and DNS says so
    Files.writeString(configFile("node-3"), config("node-3"));
    start("node-3");
    dns.answer(records(ports));

    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-3", ports.get("node-3")));
  }

  @Test
  void aPoisonedAnswerIsRefused() throws Exception {
    ConsensusNode first = nodes.get("node-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-2", ports.get("node-2")));
    // node-4 holds a certificate of the same CA, but is not in the roster.
    try (ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4")) {
      Map<String, Integer> poisoned = new TreeMap<>(ports);
      poisoned.put("node-2", impostor.port());
      dns.answer(records(poisoned));

      await().atMost(Duration.ofSeconds(60)).until(() -> impostor.handshakes() >= 2);
      assertThat(addressOf(first, "node-2")).as("a DNS answer never moves a member to a stranger")
          .isEqualTo("127.0.0.1:" + ports.get("node-2"));
      assertThat(first.status().get().peers()).extracting(NodeStatus.PeerStatus::nodeId)
          .as("nor adds one").containsExactly("node-2", "node-3");
      assertThat(connectedAt(first, "node-2", ports.get("node-2"))).isTrue();
    }
  }

  /** SRV records for every node (node-1's own included, as a headless Service would list it). */
  private static List<String> records(Map<String, Integer> ports) {
    List<String> records = new ArrayList<>();
    ports.forEach((name, port) -> {
      records.add("host-record=" + name + ".chil.test,127.0.0.1");
      records.add("srv-host=_consensus._tcp.chil.test," + name + ".chil.test," + port);
    });
    return records;
  }

  private static boolean connectedAt(ConsensusNode node, String peer, int port) throws Exception {
    return node.status().get().peers().stream().anyMatch(status -> status.nodeId().equals(peer)
        && status.address().equals("127.0.0.1:" + port) && status.connected());
  }

  private static String addressOf(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().filter(status -> status.nodeId().equals(peer)).findFirst()
        .orElseThrow().address();
  }

  private Path configFile(String name) {
    return directory.resolve(name + ".yaml");
  }

  private String config(String name) {
    StringBuilder peers = new StringBuilder();
    for (String peer : NAMES) {
      peers.append("    - {id: ").append(peer).append(", address: \"127.0.0.1:").append(ports.get(peer)).append("\"}\n");
    }
    String discovery = name.equals("node-1")
        ? "  discovery: {type: dns, name: chil.test, refresh: 1s, server: \"127.0.0.1:" + dns.port() + "\"}\n"
        : "";
    return "consensus:\n"
        + "  node_id: " + name + "\n"
        + "  bind_address: \"127.0.0.1:" + ports.get(name) + "\"\n"
        + "  peers:\n" + peers
        + discovery
        + "  security: {cert_file: pki/" + name + ".crt, key_file: pki/" + name + ".key, ca_file: pki/ca.crt}\n"
        + "  fault_tolerance: {heartbeat_interval: 50ms}\n";
  }

  private void start(String name) throws Exception {
    ConsensusNode node = ConsensusNode.builder().config(ConfigLoader.load(configFile(name), Map.of(), false)).build();
    node.start();
    nodes.put(name, node);
  }

}
