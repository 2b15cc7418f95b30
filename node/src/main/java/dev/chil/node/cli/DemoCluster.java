package dev.chil.node.cli;

import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.assembly.NodeStartException;
import dev.chil.node.assembly.RosterSigning;
import dev.chil.node.config.ConfigException;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo's three node processes and their files: a dev PKI, one config, data directory and log
 * per node. Nodes run as separate JVMs started from this JVM's own classpath, so the demo works
 * the same from the shaded jar and from a test. Every process it starts it ends on close, and a
 * shutdown hook ends them if this JVM is stopped first (Ctrl-C), unless {@link #release} handed
 * them over to the user.
 */
final class DemoCluster implements AutoCloseable {
  static final String CLUSTER = "demo";
  static final String CLIENT = "demo-client";
  /** The dev admin who signs the demo's roster: spiffe://demo/admin/demo-admin. */
  static final String ADMIN = "demo-admin";
  /** The paxos demo's nodes; {@link #nodes} are this cluster's (four for pbft: n = 3f+1). */
  static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  static final List<String> PBFT_NODES = List.of("node-1", "node-2", "node-3", "node-4");
  /** How long a node gets to write its signed audit head after SIGTERM before it is killed. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  final Path directory;
  /** "paxos" or "pbft". */
  final String protocol;
  final List<String> nodes;
  private final PrintWriter err;
  private final Map<String, HostPort> addresses = new TreeMap<>();
  private final Map<String, HostPort> metricsAddresses = new TreeMap<>();
  private final Map<String, Process> processes = new TreeMap<>();
  private final Thread shutdownHook = new Thread(this::stopAllQuietly, "chil-demo-shutdown");
  private boolean hookAdded;

  private DemoCluster(Path directory, PrintWriter err, String protocol) {
    this.directory = directory;
    this.err = err;
    this.protocol = protocol;
    this.nodes = protocol.equals("pbft") ? PBFT_NODES : NODES;
  }

  /** Writes the PKI and configs into {@code directory}, which {@link DemoDirectory#prepare} emptied. */
  static DemoCluster create(Path directory, PrintWriter err) throws IOException, GeneralSecurityException {
    return create(directory, err, "paxos");
  }

  /** @param protocol "paxos" (three nodes) or "pbft" (four) */
  static DemoCluster create(Path directory, PrintWriter err, String protocol)
      throws IOException, GeneralSecurityException {
    DemoCluster cluster = new DemoCluster(directory, err, protocol);
    List<String> nodes = cluster.nodes;
    List<String> clients = List.of(CLIENT);
    DevPki.generate(directory.resolve("pki"), new DevPki.Request(CLUSTER, nodes, clients, List.of(ADMIN), 30),
        Instant.now(), false);
    List<Integer> ports = freeLoopbackPorts(2 * nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      cluster.addresses.put(nodes.get(i), new HostPort("127.0.0.1", ports.get(i)));
      cluster.metricsAddresses.put(nodes.get(i), new HostPort("127.0.0.1", ports.get(nodes.size() + i)));
    }
    for (String node : nodes) {
      Files.writeString(cluster.configFile(node), cluster.config(node));
    }
    cluster.signRoster();
    return cluster;
  }

  /** The admin signs the roster every config describes, into pki/roster.json where the configs find it. */
  private void signRoster() throws IOException, GeneralSecurityException {
    try {
      NodeConfig config = ConfigLoader.load(configFile(nodes.get(0)), Map.of(), false);
      Credentials admin = Credentials.load(pki("admin-" + ADMIN + ".crt"), pki("admin-" + ADMIN + ".key"));
      RosterSigning.write(config.security().rosterFile().orElseThrow(),
          RosterSigning.sign(config, admin, 0, Instant.now()));
    } catch (ConfigException | NodeStartException | CryptoFileException e) {
      throw new GeneralSecurityException("the demo roster cannot be signed: " + e.getMessage(), e);
    }
  }

  HostPort address(String node) {
    return addresses.get(node);
  }

  /** Where a node serves its Prometheus metrics. */
  HostPort metricsAddress(String node) {
    return metricsAddresses.get(node);
  }

  Path configFile(String node) {
    return directory.resolve(node + ".yaml");
  }

  Path logFile(String node) {
    return directory.resolve(node + ".log");
  }

  Path auditFile(String node) {
    return directory.resolve("data").resolve(node).resolve("audit.db");
  }

  Path pki(String file) {
    return directory.resolve("pki").resolve(file);
  }

  /** Starts the node's JVM, its output appended to its log (a restart keeps the earlier life's lines). */
  synchronized long start(String node) throws IOException {
    if (!hookAdded) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      hookAdded = true;
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        // Three nodes and the demo share one machine, often a laptop: keep each JVM small. The
        // demo's load is light, so the quick compiler alone starts the nodes sooner and leaves
        // more CPU to the others.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", absoluteClassPath(),
        Main.class.getName(), "--log-format", "text", "node", "--config", configFile(node).toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(node).toFile()));
    // The configs say everything; a CONSENSUS_* variable of the user's shell would override them.
    builder.environment().keySet().removeIf(name -> name.startsWith("CONSENSUS_"));
    Process process = builder.start();
    processes.put(node, process);
    DemoDirectory.writePids(directory, pids());
    return process.pid();
  }

  /** SIGKILL: the node gets no chance to finish anything, as in a crash or a pulled plug. */
  synchronized void kill(String node) throws InterruptedException {
    Process process = processes.remove(node);
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** The node processes started and not killed or stopped since, in node order. */
  synchronized Map<String, Long> pids() {
    Map<String, Long> pids = new TreeMap<>();
    processes.forEach((node, process) -> pids.put(node, process.pid()));
    return pids;
  }

  /** Why a node that should run does not: it exited, with this status. Null while it runs. */
  synchronized String exited(String node) {
    Process process = processes.get(node);
    if (process == null || process.isAlive()) {
      return null;
    }
    return node + " exited with status " + process.exitValue() + "; see " + logFile(node) + lastLine(node);
  }

  /**
   * SIGTERM to every node, then waits for each to exit (they write their signed audit heads on the
   * way out). A node still running after {@link #STOP_TIMEOUT} is killed and named in the result.
   */
  synchronized List<String> stopAll() throws InterruptedException {
    processes.values().forEach(Process::destroy);
    List<String> killed = new ArrayList<>();
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (Map.Entry<String, Process> entry : processes.entrySet()) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!entry.getValue().waitFor(left, TimeUnit.NANOSECONDS)) {
        entry.getValue().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        killed.add(entry.getKey());
      }
    }
    processes.clear();
    return killed;
  }

  /**
   * Leaves the running nodes to the user (--keep): neither close nor the shutdown hook ends them.
   * Returns their pids, for telling the user how to stop them.
   */
  synchronized Map<String, Long> release() {
    Map<String, Long> pids = pids();
    processes.clear();
    removeShutdownHook();
    return pids;
  }

  @Override
  public void close() throws InterruptedException {
    stopAll();
    removeShutdownHook();
  }

  /** The shutdown hook: this JVM is going away (Ctrl-C, SIGTERM) before the demo ended its nodes. */
  private void stopAllQuietly() {
    Map<String, Long> running = pids();
    if (running.isEmpty()) {
      return;
    }
    err.println("chil demo: interrupted; stopping the nodes (pids " + running.values().stream().map(String::valueOf)
        .collect(Collectors.joining(" ")) + ")");
    err.flush();
    try {
      stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void removeShutdownHook() {
    if (!hookAdded) {
      return;
    }
    hookAdded = false;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or has run: nothing left to remove.
    }
  }

  private String lastLine(String node) {
    try {
      List<String> lines = Files.readAllLines(logFile(node));
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return " (last line: " + lines.get(i).strip() + ")";
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // The pointer to the log is enough.
    }
    return "";
  }

  /**
   * This JVM's classpath with every entry made absolute: the nodes run in the demo directory, where
   * a relative entry (java -jar node/target/chil.jar) would name nothing.
   */
  private static String absoluteClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private String config(String node) {
    StringBuilder peers = new StringBuilder();
    addresses.forEach((peer, address) ->
        peers.append("    - {id: ").append(peer).append(", address: \"").append(address.host()).append(':')
            .append(address.port()).append("\"}\n"));
    HostPort bind = addresses.get(node);
    return "# Written by 'chil demo'. Paths are relative to this file's folder.\n"
        + "consensus:\n"
        + "  cluster: " + CLUSTER + "\n"
        + "  node_id: " + node + "\n"
        + "  bind_address: \"" + bind.host() + ":" + bind.port() + "\"\n"
        + "  data_dir: data/" + node + "\n"
        + "  metrics_address: \"" + metricsAddresses.get(node) + "\"\n"
        + "  peers:\n" + peers
        + "  protocol: {type: " + protocol + ", timeout: 5s}\n"
        + "  security: {tls_enabled: true, cert_file: pki/" + node + ".crt, key_file: pki/" + node + ".key,"
        + " ca_file: pki/ca.crt}\n"
        // Fast heartbeats so that a failover shows within a second or two.
        + "  fault_tolerance: {failure_detector: phi_accrual, heartbeat_interval: 100ms, suspect_threshold: 8}\n";
  }

  /** Distinct free ports: all sockets are held open until every port is chosen. */
  private static List<Integer> freeLoopbackPorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
