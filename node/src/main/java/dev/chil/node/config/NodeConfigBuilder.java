package dev.chil.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A node's config in Java, key by key, as the YAML file has them. It builds the same tree a file
 * parses to and validates it in the same place, so defaults and problems are exactly a file's
 * (a problem names the YAML key, e.g. {@code consensus.bind_address}). Relative paths resolve
 * against the working directory.
 */
public final class NodeConfigBuilder {
  private final ObjectNode document = JsonNodeFactory.instance.objectNode();
  private final ObjectNode root = document.putObject(ConfigLoader.ROOT);
  private boolean insecureDev;

  public NodeConfigBuilder cluster(String cluster) {
    root.put("cluster", cluster);
    return this;
  }

  public NodeConfigBuilder nodeId(String nodeId) {
    root.put("node_id", nodeId);
    return this;
  }

  /** {@code host:port}, or {@code [v6]:port}. */
  public NodeConfigBuilder bindAddress(String hostPort) {
    root.put("bind_address", hostPort);
    return this;
  }

  /** Where clients call, on a port of their own; by default they call the bind address. */
  public NodeConfigBuilder clientAddress(String hostPort) {
    root.put("client_address", hostPort);
    return this;
  }

  public NodeConfigBuilder dataDir(Path dataDir) {
    root.put("data_dir", dataDir.toString());
    return this;
  }

  /** A member of the cluster, this node included, with weight 1 and its certificate beside the CA's. */
  public NodeConfigBuilder peer(String id, String hostPort) {
    return peer(id, hostPort, 1);
  }

  public NodeConfigBuilder peer(String id, String hostPort, int weight) {
    ArrayNode peers = root.has("peers") ? (ArrayNode) root.get("peers") : root.putArray("peers");
    peers.addObject().put("id", id).put("address", hostPort).put("weight", weight);
    return this;
  }

  /** Every member, by id → {@code host:port}, with weight 1. */
  public NodeConfigBuilder peers(Map<String, String> addresses) {
    addresses.forEach(this::peer);
    return this;
  }

  public NodeConfigBuilder tls(Path certFile, Path keyFile, Path caFile) {
    section("security").put("tls_enabled", true).put("cert_file", certFile.toString())
        .put("key_file", keyFile.toString()).put("ca_file", caFile.toString());
    return this;
  }

  /** {@code paxos} or {@code pbft}. */
  /** The admin-signed roster file; by default {@code roster.json} beside the CA file. */
  public NodeConfigBuilder rosterFile(Path rosterFile) {
    section("security").put("roster_file", rosterFile.toString());
    return this;
  }

  public NodeConfigBuilder protocol(String type) {
    section("protocol").put("type", type);
    return this;
  }

  /** How long a proposal may take before the client is told it failed. */
  public NodeConfigBuilder timeout(Duration timeout) {
    section("protocol").put("timeout", timeout.toMillis() + "ms");
    return this;
  }

  public NodeConfigBuilder heartbeatInterval(Duration interval) {
    section("fault_tolerance").put("heartbeat_interval", interval.toMillis() + "ms");
    return this;
  }

  public NodeConfigBuilder suspectThreshold(double phi) {
    section("fault_tolerance").put("suspect_threshold", phi);
    return this;
  }

  public NodeConfigBuilder batching(int commandsMax, int bytesMax, Duration delayMax) {
    section("batching").put("max_commands", commandsMax).put("max_bytes", bytesMax)
        .put("max_delay", delayMax.toMillis() + "ms");
    return this;
  }

  /** {@code first-wins} (the default) or {@code last-wins}. */
  public NodeConfigBuilder conflictResolution(String resolution) {
    root.put("conflict_resolution", resolution);
    return this;
  }

  /** {@code host:port} to serve Prometheus metrics on; off by default. */
  public NodeConfigBuilder metricsAddress(String hostPort) {
    root.put("metrics_address", hostPort);
    return this;
  }

  /** The policy file (rate limits, access, sizes, deny list); by default the bundled policies/default.yaml. */
  public NodeConfigBuilder policyFile(Path policyFile) {
    root.put("policy_file", policyFile.toString());
    return this;
  }

  /** Lets {@code tls_enabled: false} through validation; development only. */
  public NodeConfigBuilder insecureDev(boolean insecureDev) {
    this.insecureDev = insecureDev;
    return this;
  }

  /** @throws ConfigException listing every problem, each naming its key */
  public NodeConfig build() throws ConfigException {
    return ConfigLoader.validate(document.deepCopy(), Path.of("").toAbsolutePath(), "node config", Map.of(), insecureDev);
  }

  private ObjectNode section(String name) {
    return root.has(name) ? (ObjectNode) root.get(name) : root.putObject(name);
  }
}
