package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.discovery.ProbeListener;
import dev.chil.node.testing.FreePorts;
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
import org.slf4j.LoggerFactory;

/**
 * DNS discovery against a real DNS server (dnsmasq on a loopback port): node-1 finds its peers
 * through SRV records {@code _consensus._tcp.chil.test}, or through the A records of
 * {@code chil.test} alone (the nodes then share one port, on 127.0.0.1, .2 and .3), follows a
 * changed answer at its next refresh, and refuses, and logs, an answer that points at a node
 * outside the roster. Skipped, with a message, when dnsmasq is not installed
 * ({@code apt-get install dnsmasq-base}).
 */
class DnsDiscoveryIT {
  static final List<String> NAMES = List.of("node-1", "node-2", "node-3");

  @TempDir Path directory;
  private final Map<String, String> hosts = new TreeMap<>();
  private final Map<String, Integer> ports = new TreeMap<>();
  private final Map<String, ConsensusNode> nodes = new TreeMap<>();
  private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();
  private LocalDns dns;

  @BeforeEach
  void makePki() throws Exception {
    Assumptions.assumeTrue(LocalDns.installed(), "dnsmasq is not installed (apt-get install dnsmasq-base): skipped");
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("test", List.of("node-1", "node-2", "node-3",
        "node-4"), List.of(), List.of("root"), 1), Instant.now(), false);
    securityLog.start();
    ((Logger) LoggerFactory.getLogger("chil.security")).addAppender(securityLog);
  }

  @AfterEach
  void stopEverything() throws Exception {
    ((Logger) LoggerFactory.getLogger("chil.security")).detachAppender(securityLog);
    nodes.values().forEach(ConsensusNode::close);
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void aChangedAnswerIsFollowedAtTheNextRefresh() throws Exception {
    startClusterFoundBySrv();
    ConsensusNode first = nodes.get("node-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-3"));

    nodes.remove("node-3").close();
    ports.put("node-3", FreePorts.next()); // node-3 comes back elsewhere, and DNS says so
    Files.writeString(configFile("node-3"), config("node-3", null));
    start("node-3");
    dns.answer(srvRecords(ports));

    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-3"));
  }

  @Test
  void aPoisonedAnswerIsRefusedAndLogged() throws Exception {
    startClusterFoundBySrv();
    ConsensusNode first = nodes.get("node-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-2"));
    // node-4 holds a certificate of the same CA, but is not in the roster.
    try (ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4")) {
      Map<String, Integer> poisoned = new TreeMap<>(ports);
      poisoned.put("node-2", impostor.port());
      dns.answer(srvRecords(poisoned));

      await().atMost(Duration.ofSeconds(60)).until(() -> impostor.handshakes() >= 2);
      assertThat(addressOf(first, "node-2")).as("a DNS answer never moves a member to a stranger")
          .isEqualTo(address("node-2"));
      assertThat(first.status().get().peers()).extracting(NodeStatus.PeerStatus::nodeId)
          .as("nor adds one").containsExactly("node-2", "node-3");
      assertThat(connectedAt(first, "node-2")).isTrue();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.copyOf(securityLog.list))
          .anySatisfy(logged -> {
            assertThat(logged.getArgumentArray()).anySatisfy(
                argument -> assertThat(argument).hasToString("event=peer_address_refused"));
            assertThat(logged.getFormattedMessage()).contains("127.0.0.1:" + impostor.port()).contains("node-4");
          }));
    }
  }

  /** No SRV records: the A records of the name, at the port the discovery config gives. */
  @Test
  void theARecordsOfTheNameAloneFindEveryPeer() throws Exception {
    int port = FreePorts.next();
    List<String> records = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      hosts.put(NAMES.get(i), "127.0.0." + (i + 1));
      ports.put(NAMES.get(i), port);
      records.add("host-record=chil.test," + hosts.get(NAMES.get(i)));
    }
    dns = LocalDns.start(directory, FreePorts.next(), records);
    startCluster(port);

    ConsensusNode first = nodes.get("node-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> connectedAt(first, "node-2") && connectedAt(first, "node-3"));
  }

  private void startClusterFoundBySrv() throws Exception {
    for (String name : NAMES) {
      hosts.put(name, "127.0.0.1");
      ports.put(name, FreePorts.next());
    }
    dns = LocalDns.start(directory, FreePorts.next(), srvRecords(ports));
    startCluster(null);
  }

  /** @param discoveryPort the port of addresses from A records, or null for SRV (which carries ports) */
  private void startCluster(Integer discoveryPort) throws Exception {
    for (String name : NAMES) {
      Files.writeString(configFile(name), config(name, discoveryPort));
    }
    // The admin signs who the members are; DNS only says where they listen.
    DevRoster.sign(ConfigLoader.load(configFile("node-1"), Map.of(), false), directory.resolve("pki"), "root");
    for (String name : NAMES) {
      start(name);
    }
  }

  /** SRV records for every node (node-1's own included, as a headless Service would list it). */
  private static List<String> srvRecords(Map<String, Integer> ports) {
    List<String> records = new ArrayList<>();
    ports.forEach((name, port) -> {
      records.add("host-record=" + name + ".chil.test,127.0.0.1");
      records.add("srv-host=_consensus._tcp.chil.test," + name + ".chil.test," + port);
    });
    return records;
  }

  private String address(String name) {
    return hosts.get(name) + ":" + ports.get(name);
  }

  private boolean connectedAt(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().anyMatch(status -> status.nodeId().equals(peer)
        && status.address().equals(address(peer)) && status.connected());
  }

  private static String addressOf(ConsensusNode node, String peer) throws Exception {
    return node.status().get().peers().stream().filter(status -> status.nodeId().equals(peer)).findFirst()
        .orElseThrow().address();
  }

  private Path configFile(String name) {
    return directory.resolve(name + ".yaml");
  }

  /**
   * With A records (discoveryPort set), node-1's config sends it to a port where nobody listens:
   * only DNS can tell it where its peers are.
   */
  private String config(String name, Integer discoveryPort) throws Exception {
    boolean misdirected = name.equals("node-1") && discoveryPort != null;
    StringBuilder peers = new StringBuilder();
    for (String peer : NAMES) {
      String address = misdirected && !peer.equals(name) ? "127.0.0.1:" + FreePorts.next() : address(peer);
      peers.append("    - {id: ").append(peer).append(", address: \"").append(address).append("\"}\n");
    }
    String discovery = name.equals("node-1")
        ? "  discovery: {type: dns, name: chil.test, refresh: 1s, server: \"127.0.0.1:" + dns.port() + "\""
            + (discoveryPort == null ? "" : ", port: " + discoveryPort) + "}\n"
        : "";
    return "consensus:\n"
        + "  node_id: " + name + "\n"
        + "  bind_address: \"" + address(name) + "\"\n"
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
