package dev.chil.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node's validated configuration. Built only by {@link ConfigLoader}, so every instance has
 * passed validation; all paths are absolute.
 *
 * @param peers every member of the cluster, this node included: the roster, identical on every node
 * @param clientAddress where clients call, on a port of their own whose message limit fits the
 *     largest valid request; when empty, clients call the bind address, which peers use too
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
    Optional<HostPort> clientAddress) {

  public NodeConfig {
    peers = List.copyOf(peers);
  }

  /** A config whose clients call the bind address. */
  public NodeConfig(String cluster, String nodeId, HostPort bindAddress, Path dataDir, List<Peer> peers,
      Protocol protocol, Security security, FaultTolerance faultTolerance, Batching batching,
      ConflictResolution conflictResolution) {
    this(cluster, nodeId, bindAddress, dataDir, peers, protocol, security, faultTolerance, batching,
        conflictResolution, Optional.empty());
  }

  /**
   * A member of the cluster: its node name, where to reach it, its vote weight, and its
   * certificate (absent only without TLS), which goes into the audit log's roster.
   */
  public record Peer(String id, HostPort address, int weight, Optional<Path> certFile) {}

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

  /** What a proposal for a key that already has a decided value does. */
  public enum ConflictResolution {
    /** The first decided value stands; later proposals fail and are told the standing value. */
    FIRST_WINS,
    /** Each decided value replaces the one before. */
    LAST_WINS
  }

  public Peer self() {
    return peers.stream().filter(peer -> peer.id().equals(nodeId)).findFirst().orElseThrow();
  }
}
