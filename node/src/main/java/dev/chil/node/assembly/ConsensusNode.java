package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.node.config.ConfigException;
import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfigBuilder;
import dev.chil.node.core.common.Decision;
import dev.chil.node.discovery.CertificateProbe;
import dev.chil.node.discovery.IdentifiedDiscovery;
import dev.chil.node.discovery.PeerDiscovery;
import dev.chil.node.discovery.StaticPeerDiscovery;
import dev.chil.node.failure.FailureDetector;
import dev.chil.node.metrics.MetricsEndpoint;
import dev.chil.node.metrics.NodeMetrics;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.statemachine.DecisionRegistry;
import dev.chil.node.statemachine.StateMachine;
import dev.chil.node.transport.EnvelopeAuthenticator;
import dev.chil.node.transport.PeerTransport;
import dev.chil.node.transport.TransportCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chil-consensus node: the one place that wires config, trust, roster, storage, the
 * protocol core, the driver, the peer transport and the gRPC server together.
 *
 * <pre>
 *   ConsensusNode node = ConsensusNode.builder()
 *       .cluster("prod").nodeId("node-1").bindAddress("10.0.0.1:7000").dataDir(Path.of("/var/lib/chil"))
 *       .peers(Map.of("node-1", "10.0.0.1:7000", "node-2", "10.0.0.2:7000", "node-3", "10.0.0.3:7000"))
 *       .tls(Path.of("node-1.crt"), Path.of("node-1.key"), Path.of("ca.crt"))
 *       .build();                                    // or .config(ConfigLoader.load(file, env, false))
 *   node.registerStateMachine(myStateMachine);   // optional: the decision registry by default
 *   node.start();                                // returns once serving
 *   ProposalResult result = node.propose("claim-17", value).get();
 *   node.close();                                // writes a signed audit head
 * </pre>
 */
public final class ConsensusNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsensusNode.class);
  /** Messages a peer link holds while its peer is unreachable. */
  static final int PEER_QUEUE_MAX = 10_000;
  /** The largest message a peer may send: a full batch with room to spare. */
  static final int PEER_MESSAGE_BYTES_MAX = 64 << 20;
  /** Inputs the driver queues before it pushes back on clients and peers. */
  static final int DRIVER_QUEUE_MAX = 100_000;
  static final int RESULTS_REMEMBERED = 100_000;
  /** How often the health service learns whether the node is lagging. */
  static final Duration LAG_HEALTH_INTERVAL = Duration.ofMillis(250);

  private final NodeConfig config;
  /** Addresses given to the builder; null: from the config and the certificates at its addresses. */
  private final PeerDiscovery discovery;
  private final Clock clock;
  private StateMachine stateMachine;
  private NodeServer server;
  private Driver driver;
  private PeerTransport transport;
  private ProtocolCore core;
  private EvidenceRecorder evidence;
  private AuditLog audit;
  private Heartbeats heartbeats;
  private LagHealth lagHealth;
  private IdentifiedDiscovery learnedDiscovery;
  private MetricsEndpoint metricsEndpoint;
  private MetricsSampler sampler;
  private PeerDiscovery addresses;
  private ClientPolicy policy;
  private volatile boolean started;

  private ConsensusNode(NodeConfig config, PeerDiscovery discovery, StateMachine stateMachine, Clock clock) {
    this.config = config;
    this.discovery = discovery;
    this.stateMachine = stateMachine;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Replaces the default decision registry; before {@link #start()} only. */
  public void registerStateMachine(StateMachine stateMachine) {
    if (started) {
      throw new IllegalStateException("register the state machine before start()");
    }
    this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
  }

  /** Recovers from the data directory, joins the cluster and serves; returns once serving. */
  public synchronized void start() throws NodeStartException {
    if (started) {
      throw new IllegalStateException("already started");
    }
    if (!config.security().tlsEnabled()) {
      LOG.warn("TLS IS OFF for node {} (--insecure-dev): traffic is plaintext and clients' identities are claimed,"
          + " not proven. Development only; never run this in production.", config.nodeId());
    }
    try {
      startServing();
      started = true;
    } catch (NodeStartException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    LOG.info("node {} serving on {}:{} in cluster {}", config.nodeId(), config.bindAddress().host(), server.port(),
        config.cluster());
  }

  private void startServing() throws NodeStartException {
    policy = ClientPolicy.start(config);
    Credentials credentials;
    ClusterTrust trust;
    try {
      credentials = Credentials.load(config.security().certFile().orElseThrow(), config.security().keyFile().orElseThrow());
      trust = ClusterTrust.load(config.cluster(), config.security().caFile().orElseThrow());
      trust.verify(List.of(credentials.certificate()), clock.instant());
    } catch (CryptoFileException e) {
      throw new NodeStartException(e.getMessage(), e);
    } catch (CertificateException e) {
      throw new NodeStartException(config.security().certFile().orElseThrow() + ": " + e.getMessage(), e);
    }
    Identity self = Identity.node(config.cluster(), config.nodeId());
    if (!credentials.identity().equals(self)) {
      throw new NodeStartException(config.security().certFile().orElseThrow() + ": names " + credentials.identity()
          + ", but this node is " + self);
    }
    ClusterRoster roster = ClusterRoster.load(config, trust, credentials.certificate(), clock.instant());
    // Health, reflection and identity answer while the node recovers; the rest says UNAVAILABLE.
    server = NodeServer.listen(config, credentials, trust, clock);
    createDataDir();
    core = ProtocolCore.of(config);
    List<Decision> decided = core.open(config.dataDir(), roster, credentials, trust, clock);
    audit = openAudit(roster, credentials);
    Recovery.run(decided, audit, stateMachine, clock.instant());
    SortedSet<String> peers = new TreeSet<>(roster.roster().names());
    peers.remove(config.nodeId());
    addresses = discovery != null ? discovery : discover(roster, credentials, trust);
    FailureDetector failureDetector = new FailureDetector(peers,
        config.faultTolerance().heartbeatInterval().toMillis(), config.faultTolerance().suspectThreshold());
    TransportCounters counters = new TransportCounters();
    EnvelopeAuthenticator authenticator = new EnvelopeAuthenticator(credentials.signer(), roster.verifier(),
        roster.roster().names());
    try {
      transport = PeerTransport.start(credentials, trust, clock, peers, addresses, authenticator, counters,
          PEER_QUEUE_MAX, PEER_MESSAGE_BYTES_MAX, config.security().tlsEnabled());
    } catch (IOException e) {
      throw new NodeStartException("the peer transport cannot start: " + e.getMessage(), e);
    }
    driver = new Driver(core.replica(), core.store(), core.outbox(transport, audit, config.nodeId()), audit,
        stateMachine, failureDetector, clock, core.tick(), DRIVER_QUEUE_MAX, RESULTS_REMEMBERED);
    evidence = new EvidenceRecorder(audit, clock);
    driver.reportEvidenceTo(evidence);
    Optional<PbftVouching> vouching = Optional.empty();
    if (core.clientKeys().isPresent()) {
      ResultWitness witness = new ResultWitness(credentials.signer());
      driver.reportResultsTo(witness);
      vouching = Optional.of(new PbftVouching(config.cluster(), List.copyOf(peers), witness, credentials.signer(),
          roster.verifier(), driver, transport));
    }
    driver.start();
    server.serve(core, driver, authenticator, counters, transport,
        () -> NodeStatus.of(config.nodeId(), driver, transport, addresses, core::status), policy.interceptor(),
        vouching, SignedRosterJson.write(roster.signedRoster()));
    heartbeats = Heartbeats.start(transport, config.faultTolerance().heartbeatInterval());
    lagHealth = LagHealth.start(config.nodeId(), driver, core::status, LAG_HEALTH_INTERVAL, server::lagging);
    if (config.metricsAddress().isPresent()) {
      startMetrics(credentials, counters);
    }
    driver.terminated().whenComplete((done, failure) -> {
      if (failure != null) {
        LOG.error("node {} can no longer work and reports NOT_SERVING: {}", config.nodeId(), failure.getMessage());
        server.notServing();
      }
    });
  }

  /** Prometheus text at metrics_address: the driver reports to it, a sampler reads the rest. */
  private void startMetrics(Credentials credentials, TransportCounters counters) throws NodeStartException {
    NodeMetrics metrics = new NodeMetrics(config.cluster(), config.nodeId(), clock, driver::queueDepth,
        () -> MetricsSampler.peerMessages(counters), counters::droppedOutbound,
        credentials.certificate().getNotAfter().toInstant());
    driver.reportTo(metrics);
    metrics.countEvidence(evidence::recorded);
    try {
      metricsEndpoint = MetricsEndpoint.start(config.metricsAddress().get(), metrics);
    } catch (IOException e) {
      throw new NodeStartException("cannot serve metrics on " + config.metricsAddress().get() + ": " + e.getMessage(), e);
    }
    sampler = MetricsSampler.start(metrics, driver, transport, core::status);
    LOG.info("node {} serves Prometheus metrics at http://{}:{}/metrics", config.nodeId(),
        config.metricsAddress().get().host(), metricsEndpoint.port());
  }

  /** The port metrics are served on, if metrics_address is set. */
  public Optional<Integer> metricsPort() {
    requireStarted();
    return Optional.ofNullable(metricsEndpoint).map(MetricsEndpoint::port);
  }

  /**
   * Where the other members are: the config's addresses for the members it names, and for the
   * entries that give only an address, or for every address DNS gives (discovery type dns), the
   * signed roster's member that their certificates prove, asked again every refresh.
   */
  private PeerDiscovery discover(ClusterRoster roster, Credentials credentials, ClusterTrust trust)
      throws NodeStartException {
    NodeConfig.Discovery settings = config.discovery();
    boolean dns = settings.type() == NodeConfig.DiscoveryType.DNS;
    SortedMap<String, HostPort> named = new StaticPeerDiscovery(config).addresses();
    Map<HostPort, Integer> unidentified = new LinkedHashMap<>();
    config.peers().stream().filter(peer -> peer.id().isEmpty())
        .forEach(peer -> unidentified.put(peer.address(), peer.weight()));
    if (!dns && unidentified.isEmpty()) {
      return new StaticPeerDiscovery(named);
    }
    if (!config.security().tlsEnabled()) {
      throw new NodeStartException("without TLS (--insecure-dev) an address cannot prove which member it is: give"
          + " every peer its id" + (dns ? ", and use static discovery" : ""));
    }
    CertificateProbe probe = new CertificateProbe(credentials, trust, clock);
    SortedMap<String, Integer> weights = ClusterRoster.weights(roster.genesis());
    IdentifiedDiscovery identified = dns
        ? IdentifiedDiscovery.fromDns(config.nodeId(), weights, settings.name().orElseThrow(),
            settings.port().orElse(config.bindAddress().port()), settings.server(), probe, settings.refresh())
        : IdentifiedDiscovery.fromAddresses(config.nodeId(), weights, unidentified, probe, settings.refresh());
    named.forEach(identified::bind);
    identified.start();
    learnedDiscovery = identified;
    return identified;
  }

  /**
   * Completes exceptionally if the node stops on its own (it could not persist, or an invariant
   * broke); a supervisor should then restart the process, which recovers from its data directory.
   */
  public CompletableFuture<Void> failed() {
    requireStarted();
    CompletableFuture<Void> failed = new CompletableFuture<>();
    driver.terminated().whenComplete((done, failure) -> {
      if (failure != null) {
        failed.completeExceptionally(failure);
      }
    });
    return failed;
  }

  private void createDataDir() throws NodeStartException {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new NodeStartException(config.dataDir() + ": the data directory cannot be created: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the audit log, or founds it with the signed roster; an existing log must have been
   * founded with that very roster.
   */
  private AuditLog openAudit(ClusterRoster roster, Credentials credentials) throws NodeStartException {
    Path file = config.dataDir().resolve("audit.db");
    try {
      if (!Files.exists(file)) {
        return AuditLog.create(file, roster.signedRoster(), credentials.signer(), AuditLog.Options.defaults());
      }
      AuditLog existing = AuditLog.open(file, credentials.signer(), AuditLog.Options.defaults());
      if (!existing.genesis().hash().equals(roster.genesis().hash())) {
        existing.close();
        throw new NodeStartException(file + ": its genesis (cluster, protocol, roster and certificates) differs from"
            + " the signed roster's; a roster change needs a new cluster");
      }
      return existing;
    } catch (AuditStoreException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  /** Proposes a value under this node's own identity, with a fresh request id. */
  public CompletableFuture<ProposalResult> propose(String key, ByteString value) {
    requireStarted();
    Identity self = Identity.node(config.cluster(), config.nodeId());
    return driver.propose(new Command(key, value, self.spiffeId(), UUID.randomUUID().toString()));
  }

  /** How this node sees the cluster now. */
  public CompletableFuture<NodeStatus> status() {
    requireStarted();
    return NodeStatus.of(config.nodeId(), driver, transport, addresses, core::status);
  }

  /**
   * Client calls this node holds now (waiting for a leader, a forward or a decision), and how many
   * proposals and reads its driver holds for clients: all zero once every call has ended.
   */
  CompletableFuture<List<Integer>> callsInProgress() {
    requireStarted();
    int calls = server.callsInProgress();
    return driver.inspect(view -> List.of(calls, view.pendingRequests(), view.pendingReads()));
  }

  /**
   * Reads the policy file again (what SIGHUP does; a change of the file does it too). A bad file
   * leaves the policy in force and is logged as policy_reload_refused.
   *
   * @return whether the file read is now in force
   */
  public boolean reloadPolicy(String trigger) {
    requireStarted();
    return policy.reload(trigger);
  }

  /** What the policy refused, by reason, and its reloads. */
  dev.chil.node.policy.PolicyCounters policyCounters() {
    requireStarted();
    return policy.counters();
  }

  /** Pieces of equivocation evidence this node has recorded since it started (see {@code chil audit evidence}). */
  public long evidenceRecorded() {
    requireStarted();
    return evidence.recorded();
  }

  /** The port peers call (the bind address's). */
  public int port() {
    requireStarted();
    return server.port();
  }

  /** The port clients call: the client address's, or the bind address's when there is none. */
  public int clientPort() {
    requireStarted();
    return server.clientPort();
  }

  public NodeConfig config() {
    return config;
  }

  private void requireStarted() {
    if (!started) {
      throw new IllegalStateException("the node is not started");
    }
  }

  /** Stops serving, then the driver; writes a signed audit head on the way out. */
  @Override
  public synchronized void close() {
    closeQuietly();
    started = false;
  }

  /**
   * Stops in the order that loses nothing: no new inbound work, then the driver finishes its turn,
   * then the transport goes, and the audit log gets its signed head last.
   */
  private void closeQuietly() {
    if (sampler != null) {
      sampler.close();
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    if (learnedDiscovery != null) {
      learnedDiscovery.close();
    }
    if (lagHealth != null) {
      lagHealth.close();
    }
    if (heartbeats != null) {
      heartbeats.close();
    }
    if (server != null) {
      server.close();
    }
    try {
      if (driver != null) {
        driver.close();
      }
      if (core != null) {
        core.close(); // its catch-up server and state store; the driver no longer uses them
      }
      if (transport != null) {
        transport.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (audit != null) {
      try {
        if (driver == null || driver.failure() == null) {
          audit.signHead();
        }
        audit.close();
      } catch (AuditStoreException e) {
        LOG.error("the audit log did not close cleanly: {}", e.getMessage());
      }
    }
    if (policy != null) {
      policy.close();
    }
  }

  /**
   * Builds a node, from a config loaded with {@link dev.chil.node.config.ConfigLoader} or key by key
   * with the setters below (the same keys, defaults and checks as a YAML file). Nothing starts
   * until {@link ConsensusNode#start()}.
   */
  public static final class Builder {
    private NodeConfig config;
    private final NodeConfigBuilder keys = new NodeConfigBuilder();
    private boolean keysSet;
    private StateMachine stateMachine;
    private PeerDiscovery discovery;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder config(NodeConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public Builder cluster(String cluster) {
      return key(keys.cluster(cluster));
    }

    public Builder nodeId(String nodeId) {
      return key(keys.nodeId(nodeId));
    }

    /** {@code host:port}. */
    public Builder bindAddress(String hostPort) {
      return key(keys.bindAddress(hostPort));
    }

    /** {@code host:port} where clients call, on a port of their own; by default they call the bind address. */
    public Builder clientAddress(String hostPort) {
      return key(keys.clientAddress(hostPort));
    }

    public Builder dataDir(Path dataDir) {
      return key(keys.dataDir(dataDir));
    }

    /** Every member by id → {@code host:port}, this node included, each with weight 1. */
    public Builder peers(Map<String, String> addresses) {
      return key(keys.peers(addresses));
    }

    public Builder peer(String id, String hostPort, int weight) {
      return key(keys.peer(id, hostPort, weight));
    }

    public Builder tls(Path certFile, Path keyFile, Path caFile) {
      return key(keys.tls(certFile, keyFile, caFile));
    }

    /** The admin-signed roster ({@code chil roster sign}); by default {@code roster.json} beside the CA file. */
    public Builder rosterFile(Path rosterFile) {
      return key(keys.rosterFile(rosterFile));
    }

    /** {@code paxos} or {@code pbft}. */
    public Builder protocol(String type) {
      return key(keys.protocol(type));
    }

    public Builder timeout(Duration timeout) {
      return key(keys.timeout(timeout));
    }

    public Builder heartbeatInterval(Duration interval) {
      return key(keys.heartbeatInterval(interval));
    }

    public Builder suspectThreshold(double phi) {
      return key(keys.suspectThreshold(phi));
    }

    /** Bounds of one slot's batch: commands, bytes, and how long a batch that is not full may wait. */
    public Builder batching(int commandsMax, int bytesMax, Duration delayMax) {
      return key(keys.batching(commandsMax, bytesMax, delayMax));
    }

    /** {@code first-wins} (default) or {@code last-wins}. */
    public Builder conflictResolution(String resolution) {
      return key(keys.conflictResolution(resolution));
    }

    /** {@code host:port} to serve Prometheus metrics on; off by default. */
    public Builder metricsAddress(String hostPort) {
      return key(keys.metricsAddress(hostPort));
    }

    public Builder stateMachine(StateMachine stateMachine) {
      this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
      return this;
    }

    /** Where peers are; by default the addresses in the config. */
    public Builder discovery(PeerDiscovery discovery) {
      this.discovery = Objects.requireNonNull(discovery, "discovery");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @throws ConfigException listing every problem of a config given key by key */
    public ConsensusNode build() throws ConfigException {
      if (config != null && keysSet) {
        throw new IllegalStateException("give either config(..) or the keys one by one, not both");
      }
      NodeConfig built = config != null ? config : keys.build();
      StateMachine machine = stateMachine != null ? stateMachine : new DecisionRegistry(built.conflictResolution());
      return new ConsensusNode(built, discovery, machine, clock);
    }

    private Builder key(NodeConfigBuilder updated) {
      keysSet = true;
      return this;
    }
  }
}
