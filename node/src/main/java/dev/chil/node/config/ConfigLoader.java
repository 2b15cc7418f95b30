package dev.chil.node.config;

import dev.chil.crypto.Identity;
import dev.chil.node.config.NodeConfig.Batching;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import dev.chil.node.config.NodeConfig.Discovery;
import dev.chil.node.config.NodeConfig.DiscoveryType;
import dev.chil.node.config.NodeConfig.FaultTolerance;
import dev.chil.node.config.NodeConfig.Peer;
import dev.chil.node.config.NodeConfig.Protocol;
import dev.chil.node.config.NodeConfig.ProtocolType;
import dev.chil.node.config.NodeConfig.Security;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a node's YAML config, lets {@code CONSENSUS_*} environment variables override it, and
 * validates the result. Every problem is reported at once, each naming its key; relative paths
 * are resolved against the config file's folder.
 */
public final class ConfigLoader {
  static final String ROOT = "consensus";
  private static final Set<String> ROOT_KEYS = Set.of("cluster", "node_id", "bind_address", "client_address",
      "data_dir", "peers", "protocol", "security", "fault_tolerance", "batching", "conflict_resolution",
      "discovery", "metrics_address", "policy_file");
  private static final Set<String> PEER_KEYS = Set.of("id", "address", "weight", "cert_file");
  private static final Set<String> PROTOCOL_KEYS = Set.of("type", "timeout", "retries", "retained_slots");
  private static final Set<String> SECURITY_KEYS = Set.of("tls_enabled", "cert_file", "key_file", "ca_file",
      "roster_file");
  private static final Set<String> FAULT_TOLERANCE_KEYS = Set.of("failure_detector", "suspect_threshold", "heartbeat_interval");
  private static final Set<String> DISCOVERY_KEYS = Set.of("type", "name", "port", "refresh", "server");
  private static final Set<String> BATCHING_KEYS = Set.of("max_commands", "max_bytes", "max_delay");

  /** CONSENSUS_* variable → the key it overrides (CONSENSUS_PEERS is parsed on its own). */
  private static final Map<String, String> SCALAR_OVERRIDES = Map.of(
      "CONSENSUS_NODE_ID", "node_id",
      "CONSENSUS_BIND_ADDRESS", "bind_address",
      "CONSENSUS_CLIENT_ADDRESS", "client_address",
      "CONSENSUS_TLS_CERT", "security.cert_file",
      "CONSENSUS_TLS_KEY", "security.key_file",
      "CONSENSUS_TLS_CA", "security.ca_file",
      "CONSENSUS_ROSTER_FILE", "security.roster_file",
      "CONSENSUS_POLICY_FILE", "policy_file");

  /** Where state.db and audit.db go when data_dir is absent: data/<node_id> beside the config file. */
  public static final String DATA_DIR_DEFAULT = "data";

  private ConfigLoader() {}

  public static NodeConfig load(Path file, Map<String, String> environment, boolean insecureDev)
      throws ConfigException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("the config file does not exist"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getMessage()));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(yaml, base, file.toString(), environment, insecureDev);
  }

  static NodeConfig parse(String yaml, Path base, String source, Map<String, String> environment, boolean insecureDev)
      throws ConfigException {
    JsonNode document;
    try {
      document = new YAMLMapper().readTree(yaml);
    } catch (JacksonException e) {
      throw new ConfigException(source, List.of("is not valid YAML: " + e.getOriginalMessage()));
    }
    if (document == null || document.isMissingNode() || document.isNull()) {
      document = JsonNodeFactory.instance.objectNode();
    }
    if (!document.isObject()) {
      throw new ConfigException(source, List.of("must be a mapping with the key '" + ROOT + "'"));
    }
    return validate((ObjectNode) document, base, source, environment, insecureDev);
  }

  /**
   * Validates a config given as a tree of the YAML's shape ({@code {consensus: {...}}}), as
   * {@link NodeConfigBuilder} makes one: the same keys, defaults and problems as a file.
   */
  static NodeConfig validate(ObjectNode document, Path base, String source, Map<String, String> environment,
      boolean insecureDev) throws ConfigException {
    Map<String, String> environmentSources = new HashMap<>();
    ObjectNode root = applyEnvironment(document, environment, environmentSources);
    ConfigTree tree = new ConfigTree(environmentSources);
    tree.reportUnknownKeys(document, "", Set.of(ROOT));
    NodeConfig config = read(tree, root, base, insecureDev);
    if (!tree.problems().isEmpty()) {
      throw new ConfigException(source, tree.problems());
    }
    return config;
  }

  /** Writes the overrides into the tree, remembering which key came from which variable. */
  private static ObjectNode applyEnvironment(ObjectNode document, Map<String, String> environment,
      Map<String, String> sources) {
    JsonNode existing = document.get(ROOT);
    ObjectNode root = existing instanceof ObjectNode object ? object : document.putObject(ROOT);
    SCALAR_OVERRIDES.forEach((variable, key) -> {
      String value = environment.get(variable);
      if (value != null) {
        ObjectNode parent = root;
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
          JsonNode child = parent.get(parts[i]);
          parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
        }
        parent.put(parts[parts.length - 1], value);
        sources.put(ROOT + "." + key, variable);
      }
    });
    String peers = environment.get("CONSENSUS_PEERS");
    if (peers != null) {
      ArrayNode list = root.putArray("peers");
      for (String entry : peers.split(",", -1)) {
        ObjectNode peer = list.addObject();
        // As the spec writes it, "host:port"; or "id=host:port", the id then checked against the
        // certificate the address presents. A malformed entry keeps its text, so validation names it.
        int equals = entry.indexOf('=');
        if (equals >= 0) {
          peer.put("id", entry.substring(0, equals).strip());
        }
        peer.put("address", entry.substring(equals + 1).strip());
      }
      for (int i = 0; i < list.size(); i++) {
        sources.put(ROOT + ".peers[" + i + "].id", "CONSENSUS_PEERS");
        sources.put(ROOT + ".peers[" + i + "].address", "CONSENSUS_PEERS");
      }
    }
    return root;
  }

  private static NodeConfig read(ConfigTree tree, ObjectNode root, Path base, boolean insecureDev) {
    tree.reportUnknownKeys(root, ROOT, ROOT_KEYS);
    Security security = security(tree, root, base, insecureDev);
    Optional<Identity> certified = CertifiedIdentity.read(tree, root, security);
    String cluster = tree.value(root, ROOT + ".cluster", false, text -> Identity.node(text, "x").cluster())
        .or(() -> certified.map(Identity::cluster)).orElse(null);
    String nodeId = tree.value(root, ROOT + ".node_id", false, text -> Identity.node("x", text).name())
        .or(() -> certified.map(Identity::name)).orElse(null);
    HostPort bind = tree.value(root, ROOT + ".bind_address", true, HostPort::parse).orElse(null);
    Optional<HostPort> clientAddress = tree.value(root, ROOT + ".client_address", false, HostPort::parse);
    if (clientAddress.isPresent() && clientAddress.get().equals(bind)) {
      tree.problem(ROOT + ".client_address", "is the bind_address; give clients a port of their own, or leave it out"
          + " to serve them on the bind_address");
    }
    // Default: data/<node_id> beside the config file, so nodes sharing a folder do not collide.
    Path dataDir = tree.value(root, ROOT + ".data_dir", false, text -> base.resolve(text).normalize())
        .orElse(nodeId == null ? null : base.resolve(DATA_DIR_DEFAULT).resolve(nodeId).normalize());
    List<Peer> peers = peers(tree, root, base, security);
    Protocol protocol = protocol(tree, root, peers, nodeId);
    FaultTolerance faultTolerance = faultTolerance(tree, root);
    Batching batching = batching(tree, root);
    ConflictResolution conflictResolution = tree.valueOr(root, ROOT + ".conflict_resolution",
        ConflictResolution.FIRST_WINS, text -> enumValue(ConflictResolution.class, text));
    Discovery discovery = discovery(tree, root);
    Optional<HostPort> metricsAddress = tree.value(root, ROOT + ".metrics_address", false, HostPort::parse);
    // Read, validated and watched when the node starts; absent: the bundled policies/default.yaml.
    Optional<Path> policyFile = tree.value(root, ROOT + ".policy_file", false, text -> base.resolve(text).normalize());
    if (policyFile.isPresent() && !Files.isRegularFile(policyFile.get())) {
      tree.problem(ROOT + ".policy_file", policyFile.get() + " does not exist or is not a file");
    }
    if (!tree.problems().isEmpty()) {
      return null;
    }
    return new NodeConfig(cluster, nodeId, bind, dataDir, peers, protocol, security, faultTolerance, batching,
        conflictResolution, discovery, metricsAddress, clientAddress, policyFile);
  }

  /**
   * The other members, as the spec writes them ({@code address} and {@code weight}) or with an
   * {@code id} that the certificate at that address must then name. This node may be listed too.
   */
  private static List<Peer> peers(ConfigTree tree, ObjectNode root, Path base, Security security) {
    String path = ROOT + ".peers";
    JsonNode list = root.get("peers");
    if (list == null || list.isNull()) {
      tree.problem(path, "is required: list the other members of the cluster ({address, weight})");
      return List.of();
    }
    if (!list.isArray() || list.isEmpty()) {
      tree.problem(path, "must be a non-empty list of {address, weight} (id optional)");
      return List.of();
    }
    List<Peer> peers = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    Set<HostPort> addresses = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode entry = list.get(i);
      if (!entry.isObject()) {
        tree.problem(at, "must be a mapping {address, weight} (id optional)");
        continue;
      }
      tree.reportUnknownKeys(entry, at, PEER_KEYS);
      Optional<String> id = tree.value(entry, at + ".id", false, text -> Identity.node("x", text).name());
      Optional<HostPort> address = tree.value(entry, at + ".address", true, HostPort::parse);
      int weight = tree.integer(entry, at + ".weight", 1, 1, 1000);
      if (id.isPresent() && !ids.add(id.get())) {
        tree.problem(at + ".id", "'" + id.get() + "' is listed twice");
      }
      if (address.isPresent() && !addresses.add(address.get())) {
        tree.problem(at + ".address", "'" + address.get() + "' is listed twice");
      }
      Optional<Path> certFile = peerCertificate(tree, entry, at + ".cert_file", base, security, id);
      if (address.isPresent()) {
        peers.add(new Peer(id, address.get(), weight, certFile));
      }
    }
    return peers;
  }

  /**
   * A peer's certificate file: as given, or {@code <id>.crt} beside the CA file if that exists
   * (how {@code chil certs dev} lays a PKI out). Without one, the node learns the certificate from
   * the peer's address when the cluster is first formed.
   */
  private static Optional<Path> peerCertificate(ConfigTree tree, JsonNode entry, String path, Path base,
      Security security, Optional<String> id) {
    Optional<Path> given = tree.value(entry, path, false, text -> base.resolve(text).normalize());
    if (given.isPresent()) {
      if (!Files.isRegularFile(given.get())) {
        tree.problem(path, given.get() + " does not exist or is not a file");
      }
      return given;
    }
    return id.isEmpty() || security.caFile().isEmpty()
        ? Optional.empty()
        : Optional.of(security.caFile().get().resolveSibling(id.get() + ".crt")).filter(Files::isRegularFile);
  }

  private static Protocol protocol(ConfigTree tree, ObjectNode root, List<Peer> peers, String nodeId) {
    String path = ROOT + ".protocol";
    JsonNode section = tree.section(root, path, PROTOCOL_KEYS, false).orElse(JsonNodeFactory.instance.objectNode());
    ProtocolType type = tree.valueOr(section, path + ".type", ProtocolType.PAXOS, text -> enumValue(ProtocolType.class, text));
    Duration timeout = tree.valueOr(section, path + ".timeout", Duration.ofSeconds(5), ConfigLoader::positiveDuration);
    int retries = tree.integer(section, path + ".retries", 3, 0, 100);
    int retainedSlots = tree.integer(section, path + ".retained_slots", Protocol.RETAINED_SLOTS_DEFAULT, 16, 2048);
    // Counted only when every peer has an id: an address without one may be this node's own. The
    // signed roster's quorum rule is checked again when a node starts, whatever the config says.
    boolean counted = peers.stream().allMatch(peer -> peer.id().isPresent());
    int members = peers.size() + (peers.stream().anyMatch(peer -> peer.id().equals(Optional.ofNullable(nodeId))) ? 0 : 1);
    if (type == ProtocolType.PBFT && !peers.isEmpty() && counted && (members < 4 || members % 3 != 1)) {
      tree.problem(path + ".type", "pbft needs n = 3f+1 members with f >= 1 (4, 7, 10, ...), and the config makes "
          + members + ": with other counts two quorums of 2f+1 need not share a correct node");
    }
    if (type == ProtocolType.PBFT) {
      for (int i = 0; i < peers.size(); i++) {
        if (peers.get(i).weight() != 1) {
          tree.problem(ROOT + ".peers[" + i + "].weight", "is " + peers.get(i).weight()
              + ", but pbft counts signers, not weight: every weight must be 1");
        }
      }
    }
    return new Protocol(type, timeout, retries, retainedSlots);
  }

  private static Security security(ConfigTree tree, ObjectNode root, Path base, boolean insecureDev) {
    String path = ROOT + ".security";
    JsonNode section = tree.section(root, path, SECURITY_KEYS, false).orElse(JsonNodeFactory.instance.objectNode());
    boolean tlsEnabled = tree.bool(section, path + ".tls_enabled", true);
    if (!tlsEnabled && !insecureDev) {
      tree.problem(path + ".tls_enabled", "is false: refusing to run without TLS; pass --insecure-dev to allow it"
          + " for development (never in production)");
    }
    // The files are needed with or without TLS: votes, peer messages and audit heads are signed.
    Optional<Path> caFile = existingFile(tree, section, path + ".ca_file", base);
    // The admin-signed roster; checked when the node starts, so that `chil roster sign` can read
    // this config before the roster exists.
    Optional<Path> rosterFile = tree.value(section, path + ".roster_file", false, text -> base.resolve(text).normalize());
    return new Security(tlsEnabled,
        existingFile(tree, section, path + ".cert_file", base),
        existingFile(tree, section, path + ".key_file", base),
        caFile,
        rosterFile.isPresent() ? rosterFile : caFile.map(Security::defaultRosterFile));
  }

  private static Optional<Path> existingFile(ConfigTree tree, JsonNode section, String path, Path base) {
    Optional<Path> file = tree.value(section, path, true, text -> base.resolve(text).normalize());
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      tree.problem(path, file.get() + " does not exist or is not a file");
    }
    return file;
  }

  private static FaultTolerance faultTolerance(ConfigTree tree, ObjectNode root) {
    String path = ROOT + ".fault_tolerance";
    JsonNode section = tree.section(root, path, FAULT_TOLERANCE_KEYS, false).orElse(JsonNodeFactory.instance.objectNode());
    tree.valueOr(section, path + ".failure_detector", "phi_accrual", text -> {
      if (!text.equals("phi_accrual")) {
        throw new IllegalArgumentException("'" + text + "' is not a known failure detector (known: phi_accrual)");
      }
      return text;
    });
    double threshold = tree.valueOr(section, path + ".suspect_threshold", 8.0, ConfigLoader::positiveNumber);
    Duration heartbeat = tree.valueOr(section, path + ".heartbeat_interval", Duration.ofMillis(200), ConfigLoader::positiveDuration);
    return new FaultTolerance(threshold, heartbeat);
  }

  private static Batching batching(ConfigTree tree, ObjectNode root) {
    String path = ROOT + ".batching";
    JsonNode section = tree.section(root, path, BATCHING_KEYS, false).orElse(JsonNodeFactory.instance.objectNode());
    int commands = tree.integer(section, path + ".max_commands", 256, 1, 65_536);
    int bytes = tree.integer(section, path + ".max_bytes", 1 << 20, 1024, 64 << 20);
    Duration delay = tree.valueOr(section, path + ".max_delay", Duration.ofMillis(2), Durations::parse);
    return new Batching(commands, bytes, delay);
  }

  private static Discovery discovery(ConfigTree tree, ObjectNode root) {
    String path = ROOT + ".discovery";
    Optional<JsonNode> section = tree.section(root, path, DISCOVERY_KEYS, false);
    if (section.isEmpty()) {
      return Discovery.staticPeers();
    }
    JsonNode node = section.get();
    DiscoveryType type = tree.valueOr(node, path + ".type", DiscoveryType.STATIC, text -> enumValue(DiscoveryType.class, text));
    Optional<String> name = tree.value(node, path + ".name", type == DiscoveryType.DNS, DnsName::check);
    int port = tree.integer(node, path + ".port", 0, 0, 65535);
    Duration refresh = tree.valueOr(node, path + ".refresh", Duration.ofSeconds(30), ConfigLoader::positiveDuration);
    Optional<HostPort> server = tree.value(node, path + ".server", false, HostPort::parse);
    if (type == DiscoveryType.STATIC && (name.isPresent() || server.isPresent())) {
      tree.problem(path + ".type", "is static, which takes the config's peers: name and server are for type: dns");
    }
    return new Discovery(type, name, port == 0 ? Optional.empty() : Optional.of(port), refresh, server);
  }

  private static Duration positiveDuration(String text) {
    Duration duration = Durations.parse(text);
    if (duration.isZero()) {
      throw new IllegalArgumentException("must be longer than 0");
    }
    return duration;
  }

  private static double positiveNumber(String text) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(text + " must be a positive number");
    }
    return value;
  }

  /** Enum constants as written in YAML: lower case, '-' or '_' between words. */
  private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
    String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    List<String> known = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      known.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new IllegalArgumentException("'" + text + "' is not one of " + known);
  }
}
