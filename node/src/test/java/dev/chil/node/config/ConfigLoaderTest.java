package dev.chil.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import dev.chil.node.config.NodeConfig.Peer;
import dev.chil.node.config.NodeConfig.ProtocolType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path directory;

  private static final String FULL = """
      consensus:
        cluster: prod
        node_id: node-1
        bind_address: 127.0.0.1:7001
        client_address: 0.0.0.0:7201
        data_dir: data/node-1
        peers:
          - {id: node-1, address: "127.0.0.1:7001", weight: 2}
          - {id: node-2, address: "127.0.0.1:7002"}
          - {id: node-3, address: "[::1]:7003", cert_file: certs/other.crt}
        protocol:
          type: paxos
          timeout: 3s
          retries: 5
          retained_slots: 64
        security:
          tls_enabled: true
          cert_file: certs/node-1.crt
          key_file: certs/node-1.key
          ca_file: certs/ca.crt
        fault_tolerance:
          failure_detector: phi_accrual
          suspect_threshold: 10
          heartbeat_interval: 150ms
        batching:
          max_commands: 64
          max_bytes: 65536
          max_delay: 1ms
        conflict_resolution: last-wins
      """;

  @BeforeEach
  void makeCertificateFiles() throws Exception {
    Files.createDirectories(directory.resolve("certs"));
    for (String name : List.of("node-1.crt", "node-2.crt", "node-3.crt", "node-1.key", "ca.crt", "other.crt")) {
      Files.writeString(directory.resolve("certs").resolve(name), "placeholder");
    }
  }

  @Test
  void readsEveryKey() throws Exception {
    NodeConfig config = load(FULL, Map.of());

    assertThat(config.cluster()).isEqualTo("prod");
    assertThat(config.nodeId()).isEqualTo("node-1");
    assertThat(config.bindAddress()).isEqualTo(new HostPort("127.0.0.1", 7001));
    assertThat(config.clientAddress()).contains(new HostPort("0.0.0.0", 7201));
    assertThat(config.dataDir()).isEqualTo(directory.resolve("data/node-1"));
    Path certs = directory.resolve("certs");
    assertThat(config.peers()).containsExactly(
        new Peer("node-1", new HostPort("127.0.0.1", 7001), 2, Optional.of(certs.resolve("node-1.crt"))),
        new Peer("node-2", new HostPort("127.0.0.1", 7002), 1, Optional.of(certs.resolve("node-2.crt"))),
        new Peer("node-3", new HostPort("::1", 7003), 1, Optional.of(certs.resolve("other.crt"))));
    assertThat(config.self()).map(Peer::weight).contains(2);
    assertThat(config.protocol()).isEqualTo(new NodeConfig.Protocol(ProtocolType.PAXOS, Duration.ofSeconds(3), 5, 64));
    assertThat(config.security().tlsEnabled()).isTrue();
    assertThat(config.security().certFile()).contains(directory.resolve("certs/node-1.crt"));
    assertThat(config.faultTolerance()).isEqualTo(new NodeConfig.FaultTolerance(10.0, Duration.ofMillis(150)));
    assertThat(config.batching()).isEqualTo(new NodeConfig.Batching(64, 65536, Duration.ofMillis(1)));
    assertThat(config.conflictResolution()).isEqualTo(ConflictResolution.LAST_WINS);
  }

  @Test
  void fillsDefaultsForOptionalSections() throws Exception {
    NodeConfig config = load("""
        consensus:
          cluster: prod
          node_id: node-1
          bind_address: localhost:7001
          data_dir: /var/lib/chil
          peers: [{id: node-1, address: "localhost:7001"}]
          security: {cert_file: certs/node-1.crt, key_file: certs/node-1.key, ca_file: certs/ca.crt}
        """, Map.of());

    assertThat(config.protocol().type()).isEqualTo(ProtocolType.PAXOS);
    assertThat(config.faultTolerance().heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.conflictResolution()).isEqualTo(ConflictResolution.FIRST_WINS);
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/chil"));
    assertThat(config.clientAddress()).as("clients call the bind address").isEmpty();
  }

  @Test
  void thePolicyFileIsTheBundledDefaultUnlessNamedInTheFileOrTheEnvironment() throws Exception {
    assertThat(load(FULL, Map.of()).policyFile()).isEmpty();
    Path policy = Files.writeString(directory.resolve("policy.yaml"), "# checked when the node starts\n");
    Files.createDirectories(directory.resolve("policies"));
    Path other = Files.writeString(directory.resolve("policies/other.yaml"), "# checked when the node starts\n");

    assertThat(load(FULL + "  policy_file: policy.yaml\n", Map.of()).policyFile()).contains(policy);
    assertThat(load(FULL + "  policy_file: policy.yaml\n", Map.of("CONSENSUS_POLICY_FILE", "policies/other.yaml"))
        .policyFile()).contains(other);
    assertThatThrownBy(() -> load(FULL, Map.of("CONSENSUS_POLICY_FILE", "missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .containsExactly("consensus.policy_file (from CONSENSUS_POLICY_FILE): " + directory.resolve("missing.yaml")
            + " does not exist or is not a file");
  }

  @Test
  void aClientAddressIsAPortOfItsOwn() {
    assertThatThrownBy(() -> load(FULL.replace("client_address: 0.0.0.0:7201", "client_address: 127.0.0.1:7001"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .containsExactly("consensus.client_address: is the bind_address; give clients a port of their own, or leave it"
            + " out to serve them on the bind_address");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws Exception {
    NodeConfig config = load(FULL, Map.of(
        "CONSENSUS_NODE_ID", "node-2",
        "CONSENSUS_BIND_ADDRESS", "0.0.0.0:9002",
        "CONSENSUS_CLIENT_ADDRESS", "0.0.0.0:9102",
        "CONSENSUS_PEERS", "node-1=10.0.0.1:7000, node-2=10.0.0.2:7000",
        "CONSENSUS_TLS_CERT", "certs/other.crt",
        "UNRELATED", "ignored"));

    assertThat(config.nodeId()).isEqualTo("node-2");
    assertThat(config.bindAddress()).isEqualTo(new HostPort("0.0.0.0", 9002));
    assertThat(config.clientAddress()).contains(new HostPort("0.0.0.0", 9102));
    assertThat(config.peers()).extracting(Peer::id).containsExactly(Optional.of("node-1"), Optional.of("node-2"));
    assertThat(config.peers()).extracting(Peer::weight).containsOnly(1);
    assertThat(config.security().certFile()).contains(directory.resolve("certs/other.crt"));
    assertThat(config.security().keyFile()).contains(directory.resolve("certs/node-1.key"));
  }

  @Test
  void listsEveryProblemAtOnceNamingItsKey() {
    String broken = """
        consensus:
          cluster: Prod!
          node_id: node-9
          bind_address: localhost
          data_dir: data
          colour: blue
          peers:
            - {id: node-1, address: "127.0.0.1:70000"}
            - {id: node-1, address: "127.0.0.1:7002", weight: zero}
            - {id: node-4, address: "127.0.0.1:7002"}
          protocol: {type: raft, timeout: 5, retries: -1, retained_slots: 8}
          security: {cert_file: certs/missing.crt, key_file: certs/node-1.key, ca_file: certs/ca.crt}
          fault_tolerance: {suspect_threshold: -3, heartbeat_interval: 0ms}
          batching: [1, 2]
          conflict_resolution: newest
        """;

    assertThatThrownBy(() -> load(broken, Map.of()))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .containsExactlyInAnyOrder(
            "consensus.colour: is not a known key (known: [batching, bind_address, client_address, cluster,"
                + " conflict_resolution, data_dir, discovery, fault_tolerance, metrics_address, node_id, peers, policy_file,"
                + " protocol, security])",
            "consensus.cluster: cluster name 'Prod!' must be 1-63 characters of a-z, 0-9, '.', '-'",
            "consensus.bind_address: 'localhost' is not host:port",
            "consensus.peers[0].address: '127.0.0.1:70000': port 70000 is not in 1-65535",
            "consensus.peers[1].weight: 'zero' is not a whole number",
            "consensus.peers[1].id: 'node-1' is listed twice",
            "consensus.peers[2].address: '127.0.0.1:7002' is listed twice",
            "consensus.protocol.type: 'raft' is not one of [paxos, pbft]",
            "consensus.protocol.timeout: '5' is not a duration such as 200ms, 5s, 2m or 1h",
            "consensus.protocol.retries: -1 is not in 0-100",
            "consensus.protocol.retained_slots: 8 is not in 16-2048",
            "consensus.security.cert_file: " + directory.resolve("certs/missing.crt") + " does not exist or is not a file",
            "consensus.fault_tolerance.suspect_threshold: -3 must be a positive number",
            "consensus.fault_tolerance.heartbeat_interval: must be longer than 0",
            "consensus.batching: must be a mapping of keys to values",
            "consensus.conflict_resolution: 'newest' is not one of [first-wins, last-wins]");
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(() -> load(FULL, Map.of("CONSENSUS_PEERS", "node-1=127.0.0.1:7001,node-2", "CONSENSUS_BIND_ADDRESS", "x:y")))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .contains(
            "consensus.bind_address (from CONSENSUS_BIND_ADDRESS): 'x:y' has port 'y', not a number",
            "consensus.peers[1].address (from CONSENSUS_PEERS): 'node-2' is not host:port");
  }

  @Test
  void tlsOffIsRefusedUnlessInsecureDevelopmentIsAskedFor() throws Exception {
    String insecure = FULL.replace("tls_enabled: true", "tls_enabled: false");

    assertThatThrownBy(() -> load(insecure, Map.of()))
        .hasMessageContaining("consensus.security.tls_enabled: is false: refusing to run without TLS; pass --insecure-dev");
    NodeConfig config = ConfigLoader.parse(insecure, directory, "test.yaml", Map.of(), true);
    assertThat(config.security().tlsEnabled()).isFalse();
    assertThat(config.security().certFile()).as("still needed to sign").contains(directory.resolve("certs/node-1.crt"));
  }

  @Test
  void pbftNeedsThreeFPlusOneMembersOfWeightOne() {
    assertThatThrownBy(() -> load(FULL.replace("type: paxos", "type: pbft"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .contains("consensus.protocol.type: pbft needs n = 3f+1 members with f >= 1 (4, 7, 10, ...), and the config"
            + " makes 3: with other counts two quorums of 2f+1 need not share a correct node",
            "consensus.peers[0].weight: is 2, but pbft counts signers, not weight: every weight must be 1");
    String five = FULL.replace("type: paxos", "type: pbft").replace("weight: 2", "weight: 1").replace(
        "    - {id: node-3, address: \"[::1]:7003\", cert_file: certs/other.crt}\n",
        "    - {id: node-3, address: \"[::1]:7003\", cert_file: certs/other.crt}\n"
            + "    - {id: node-4, address: \"127.0.0.1:7004\", cert_file: certs/other.crt}\n"
            + "    - {id: node-5, address: \"127.0.0.1:7005\", cert_file: certs/other.crt}\n");
    assertThatThrownBy(() -> load(five, Map.of())).hasMessageContaining("the config makes 5");
  }

  @Test
  void aZeroWeightIsRefused() {
    assertThatThrownBy(() -> load(FULL.replace("weight: 2", "weight: 0"), Map.of()))
        .hasMessageContaining("consensus.peers[0].weight: ");
  }

  @Test
  void theSignedRosterIsBesideTheCaUnlessNamed() throws Exception {
    assertThat(load(FULL, Map.of()).security().rosterFile()).contains(directory.resolve("certs/roster.json"));
    assertThat(load(FULL.replace("ca_file: certs/ca.crt", "ca_file: certs/ca.crt\n    roster_file: r/signed.json"),
        Map.of()).security().rosterFile()).contains(directory.resolve("r/signed.json"));
    assertThat(load(FULL, Map.of("CONSENSUS_ROSTER_FILE", "env.json")).security().rosterFile())
        .contains(directory.resolve("env.json"));
  }

  @Test
  void notYamlOrNoFileIsOneClearProblem() throws Exception {
    assertThatThrownBy(() -> load("consensus: [unclosed", Map.of()))
        .hasMessageStartingWith("test.yaml: 1 problem:\n  is not valid YAML: ");
    assertThatThrownBy(() -> ConfigLoader.load(directory.resolve("nope.yaml"), Map.of(), false))
        .hasMessage(directory.resolve("nope.yaml") + ": 1 problem:\n  the config file does not exist");
    assertThatThrownBy(() -> load("", Map.of()))
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .contains("consensus.cluster: is not set, and there is no security.cert_file to read it from",
            "consensus.peers: is required: list the other members of the cluster ({address, weight})");
  }

  private NodeConfig load(String yaml, Map<String, String> environment) throws ConfigException {
    return ConfigLoader.parse(yaml, directory, "test.yaml", environment, false);
  }

  @Test
  void acceptsTheSpecsPeersByAddressOnlyAndTakesClusterAndNodeFromTheCertificate() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("spec", List.of("node-1"), List.of(), 1),
        Instant.now(), false);
    NodeConfig config = load("""
        consensus:
          bind_address: "0.0.0.0:7000"
          peers:
            - address: "node-2.cluster.local:7000"
              weight: 1
            - address: "node-3.cluster.local:7000"
              weight: 2
          security: {cert_file: pki/node-1.crt, key_file: pki/node-1.key, ca_file: pki/ca.crt}
        """, Map.of());

    assertThat(config.cluster()).isEqualTo("spec");
    assertThat(config.nodeId()).isEqualTo("node-1");
    assertThat(config.dataDir()).as("the documented default").isEqualTo(directory.resolve("data/node-1"));
    assertThat(config.peers()).containsExactly(
        new Peer(Optional.empty(), new HostPort("node-2.cluster.local", 7000), 1, Optional.empty()),
        new Peer(Optional.empty(), new HostPort("node-3.cluster.local", 7000), 2, Optional.empty()));
    assertThat(config.self()).isEmpty();
  }

  @Test
  void consensusPeersTakesPlainAddressesAsTheSpecSaysAndIdsAsAChoice() throws Exception {
    NodeConfig config = load(FULL, Map.of("CONSENSUS_PEERS", "10.0.0.2:7000, node-3=10.0.0.3:7000"));

    assertThat(config.peers()).extracting(Peer::id).containsExactly(Optional.empty(), Optional.of("node-3"));
    assertThat(config.peers()).extracting(Peer::address)
        .containsExactly(new HostPort("10.0.0.2", 7000), new HostPort("10.0.0.3", 7000));
  }

  @Test
  void aClusterNotGivenNeedsACertificateThatNamesIt() {
    assertThatThrownBy(() -> load(FULL.replace("  cluster: prod\n", ""), Map.of()))
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .singleElement().asString()
        .startsWith("consensus.cluster: is not set, and the node certificate " + directory.resolve("certs/node-1.crt")
            + " cannot name it: ");
  }

  @Test
  void readsDnsDiscoveryAndRefusesAnIncompleteOne() throws Exception {
    NodeConfig config = load(FULL + "  discovery: {type: dns, name: chil-peers.prod.svc.cluster.local., port: 7000,"
        + " refresh: 10s, server: \"127.0.0.1:5353\"}\n", Map.of());
    assertThat(config.discovery()).isEqualTo(new NodeConfig.Discovery(NodeConfig.DiscoveryType.DNS,
        Optional.of("chil-peers.prod.svc.cluster.local"), Optional.of(7000), Duration.ofSeconds(10),
        Optional.of(new HostPort("127.0.0.1", 5353))));
    assertThat(load(FULL, Map.of()).discovery()).isEqualTo(NodeConfig.Discovery.staticPeers());

    assertThatThrownBy(() -> load(FULL + "  discovery: {type: dns, refresh: 0s}\n", Map.of()))
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .containsExactlyInAnyOrder("consensus.discovery.name: is required",
            "consensus.discovery.refresh: must be longer than 0");
    assertThatThrownBy(() -> load(FULL + "  discovery: {type: dns, name: -bad-.example}\n", Map.of()))
        .hasMessageContaining("consensus.discovery.name: '-bad-.example' is not a DNS name: label '-bad-'");
  }
}
