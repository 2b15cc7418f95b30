package dev.chil.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node's validated configuration. Built only by {@link ConfigLoader}, so every instance has
 * passed validation; all paths are absolute.
 *
 * @param peers the members as the config lists them: by address, with an id where the config names one
 *     (the certificate at that address must then name it); this node may be among them or not
 * @param clientAddress where clients call, on a port of their own whose message limit fits the
 *     largest valid request; when empty, clients call the bind address, which peers use too
 * @param policyFile the policy ({@code policy_file}: rate limits, access rules, sizes, deny list),
 *     reloaded when it changes; when empty, the bundled {@code policies/default.yaml}
 */
public record NodeConfig(
    String cluster,
    String nodeId,
    HostPort bindAddress,
    Path dataDir,
    List<Peer> peers,
    Protocol protocol,
    Security security,
    FaultTolerance faultTolerance,
    Batching batching,
    ConflictResolution conflictResolution,
    Discovery discovery,
    Optional<HostPort> metricsAddress,
    Optional<HostPort> clientAddress,
    Optional<Path> policyFile) {

  public NodeConfig {
    peers = List.copyOf(peers);
  }

  /** A config that runs the bundled default policy. */
  public NodeConfig(String cluster, String nodeId, HostPort bindAddress, Path dataDir, List<Peer> peers,
      Protocol protocol, Security security, FaultTolerance faultTolerance, Batching batching,
      ConflictResolution conflictResolution, Discovery discovery, Optional<HostPort> metricsAddress,
      Optional<HostPort> clientAddress) {
    this(cluster, nodeId, bindAddress, dataDir, peers, protocol, security, faultTolerance, batching,
        conflictResolution, discovery, metricsAddress, clientAddress, Optional.empty());
  }

  /** A config whose clients call the bind address. */
  public NodeConfig(String cluster, String nodeId, HostPort bindAddress, Path dataDir, List<Peer> peers,
      Protocol protocol, Security security, FaultTolerance faultTolerance, Batching batching,
      ConflictResolution conflictResolution, Discovery discovery, Optional<HostPort> metricsAddress) {
    this(cluster, nodeId, bindAddress, dataDir, peers, protocol, security, faultTolerance, batching,
        conflictResolution, discovery, metricsAddress, Optional.empty());
  }

  /**
   * A member of the cluster: where to reach it, its vote weight, and, when the config says, its
   * node name and certificate file. Without them the node learns both from the certificate the
   * address presents (checked against the CA and, once the cluster has formed, the roster).
   */
  public record Peer(Optional<String> id, HostPort address, int weight, Optional<Path> certFile) {
    public Peer(String id, HostPort address, int weight, Optional<Path> certFile) {
      this(Optional.of(id), address, weight, certFile);
    }
  }

  public enum ProtocolType {
    PAXOS,
    PBFT
  }

  /**
   * @param timeout how long a proposal may take before the client is told it failed
   * @param retainedSlots decided slots a node keeps in memory to serve catch-up and phase 1
   *     ({@code protocol.retained_slots}); older ones are served from the audit log
   */
  public record Protocol(ProtocolType type, Duration timeout, int retries, int retainedSlots) {
    public static final int RETAINED_SLOTS_DEFAULT = 1024;

    public Protocol(ProtocolType type, Duration timeout, int retries) {
      this(type, timeout, retries, RETAINED_SLOTS_DEFAULT);
    }
  }

  /**
   * The certificate files, needed with or without TLS: votes, peer messages and audit heads are
   * signed with the node's key. {@code tlsEnabled} false (development only) takes TLS off the wire.
   *
   * @param rosterFile the cluster's founding roster as an admin signed it ({@code chil roster
   *     sign}); by default {@code roster.json} beside the CA file. A node refuses to start without it.
   */
  public record Security(boolean tlsEnabled, Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile,
      Optional<Path> rosterFile) {

    /** The roster file by default: {@code roster.json} beside the CA file. */
    public Security(boolean tlsEnabled, Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile) {
      this(tlsEnabled, certFile, keyFile, caFile, caFile.map(Security::defaultRosterFile));
    }

    public static Path defaultRosterFile(Path caFile) {
      return caFile.resolveSibling("roster.json");
    }
  }

  public record FaultTolerance(double suspectThreshold, Duration heartbeatInterval) {}

  public record Batching(int commandsMax, int bytesMax, Duration delayMax) {}

  public enum DiscoveryType {
    /** The config's peers: the default. */
    STATIC,
    /** DNS A/AAAA records of {@code name} (port {@code port}) and SRV records {@code _consensus._tcp.<name>}. */
    DNS
  }

  /**
   * Where peers are found; who they are always comes from their certificates.
   *
   * @param server the DNS server to ask, {@code host:port}; empty: the system's resolvers
   */
  public record Discovery(DiscoveryType type, Optional<String> name, Optional<Integer> port, Duration refresh,
      Optional<HostPort> server) {
    public static Discovery staticPeers() {
      return new Discovery(DiscoveryType.STATIC, Optional.empty(), Optional.empty(), Duration.ofSeconds(30),
          Optional.empty());
    }
  }

  /** What a proposal for a key that already has a decided value does. */
  public enum ConflictResolution {
    /** The first decided value stands; later proposals fail and are told the standing value. */
    FIRST_WINS,
    /** Each decided value replaces the one before. */
    LAST_WINS
  }

  /** This node's entry, if the config lists it by id. */
  public Optional<Peer> self() {
    return peers.stream().filter(peer -> peer.id().equals(Optional.of(nodeId))).findFirst();
  }
}
