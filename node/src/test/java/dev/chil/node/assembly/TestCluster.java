package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.testing.FreePorts;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.pki.DevPki;
import dev.chil.crypto.tls.ClaimedIdentity;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.discovery.PeerDiscovery;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Real nodes in this JVM: a dev PKI, one YAML config and data directory per node, free loopback
 * ports, and clients over mutual TLS. Everything it starts, it stops.
 */
final class TestCluster implements AutoCloseable {
  static final String CLUSTER = "test";

  final Path directory;
  final List<String> names;
  /** --insecure-dev: plaintext, identities claimed in a header (still signed messages). */
  final boolean insecure;
  /** "paxos" or "pbft". */
  final String protocol;
  /** Where peers call each node (its bind address). */
  final Map<String, Integer> ports = new TreeMap<>();
  /** Where clients call each node: its client address, or (when empty) the bind address. */
  final Map<String, Integer> clientPorts = new TreeMap<>();
  final Map<String, ConsensusNode> nodes = new TreeMap<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  /** Added under {@code consensus:} to every node's config. */
  private final String extraYaml;

  TestCluster(Path directory, List<String> names) throws Exception {
    this(directory, names, false);
  }

  /**
   * A secure cluster gives clients a port of their own on every node (client_address); an
   * insecure one serves them on the bind address, beside the peers.
   */
  TestCluster(Path directory, List<String> names, boolean insecure) throws Exception {
    this(directory, names, insecure, "paxos");
  }

  TestCluster(Path directory, List<String> names, boolean insecure, String protocol) throws Exception {
    this(directory, names, insecure, protocol, List.of("alice"), "");
  }

  /**
   * With a certificate for each of {@code clients}, and {@code extraYaml} (keys indented by two
   * spaces, as under {@code consensus:}) in every node's config.
   */
  TestCluster(Path directory, List<String> names, boolean insecure, List<String> clients, String extraYaml)
      throws Exception {
    this(directory, names, insecure, "paxos", clients, extraYaml);
  }

  TestCluster(Path directory, List<String> names, boolean insecure, String protocol, List<String> clients,
      String extraYaml) throws Exception {
    this.protocol = protocol;
    this.directory = directory;
    this.names = List.copyOf(names);
    this.insecure = insecure;
    this.extraYaml = extraYaml;
    DevPki.generate(directory.resolve("pki"), new DevPki.Request(CLUSTER, names, clients, List.of("root"), 1),
        Instant.now(), false);
    for (String name : names) {
      ports.put(name, FreePorts.next());
      if (!insecure) {
        clientPorts.put(name, FreePorts.next());
      }
    }
    for (String name : names) {
      Files.writeString(configFile(name), yaml(name));
    }
    DevRoster.sign(ConfigLoader.load(configFile(names.get(0)), Map.of(), insecure), directory.resolve("pki"), "root");
  }

  Path configFile(String name) {
    return directory.resolve(name + ".yaml");
  }

  private String yaml(String name) {
    StringBuilder peers = new StringBuilder();
    for (String peer : names) {
      peers.append("    - {id: ").append(peer).append(", address: \"127.0.0.1:").append(ports.get(peer)).append("\"}\n");
    }
    return "consensus:\n"
        + "  cluster: " + CLUSTER + "\n"
        + "  node_id: " + name + "\n"
        + "  bind_address: \"127.0.0.1:" + ports.get(name) + "\"\n"
        + (clientPorts.containsKey(name) ? "  client_address: \"127.0.0.1:" + clientPorts.get(name) + "\"\n" : "")
        + "  data_dir: data/" + name + "\n"
        + "  peers:\n" + peers
        + "  protocol: {type: " + protocol + ", timeout: 10s}\n"
        + "  security: {tls_enabled: " + !insecure + ", cert_file: pki/" + name + ".crt, key_file: pki/" + name
        + ".key, ca_file: pki/ca.crt}\n"
        + "  fault_tolerance: {heartbeat_interval: 50ms, suspect_threshold: 8}\n"
        + extraYaml;
  }

  ConsensusNode start(String name) throws Exception {
    return start(name, null);
  }

  /** Starts a node that finds its peers through {@code discovery} (null: the config's addresses). */
  ConsensusNode start(String name, PeerDiscovery discovery) throws Exception {
    NodeConfig config = ConfigLoader.load(configFile(name), Map.of(), insecure);
    ConsensusNode.Builder builder = ConsensusNode.builder().config(config);
    ConsensusNode node = (discovery == null ? builder : builder.discovery(discovery)).build();
    node.start();
    nodes.put(name, node);
    return node;
  }

  void startAll() throws Exception {
    for (String name : names) {
      start(name);
    }
  }

  void stop(String name) {
    ConsensusNode node = nodes.remove(name);
    if (node != null) {
      node.close();
    }
  }

  Path auditFile(String name) {
    return directory.resolve("data").resolve(name).resolve("audit.db");
  }

  Path caFile() {
    return directory.resolve("pki/ca.crt");
  }

  /** A blocking client stub to a node, with the given credentials. */
  ConsensusServiceGrpc.ConsensusServiceBlockingStub client(String node, Credentials credentials) throws Exception {
    return ConsensusServiceGrpc.newBlockingStub(channel(node, credentials));
  }

  /** A future client stub to a node, for calls left in flight while the test breaks things. */
  ConsensusServiceGrpc.ConsensusServiceFutureStub futureClient(String node, Credentials credentials) throws Exception {
    return ConsensusServiceGrpc.newFutureStub(channel(node, credentials));
  }

  private ManagedChannel channel(String node, Credentials credentials) throws Exception {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", clientPorts.getOrDefault(node, ports.get(node)));
    ManagedChannel channel = insecure
        ? builder.usePlaintext().intercept(ClaimedIdentity.claiming(credentials.identity())).build()
        : builder.sslContext(TlsContexts.client(credentials, ClusterTrust.load(CLUSTER, caFile()), Clock.systemUTC())).build();
    channels.add(channel);
    return channel;
  }

  /** A proposal signed by its client, as a pbft cluster requires (a paxos one ignores the signature). */
  static ProposeRequest signedProposal(Credentials client, String key, String value, String requestId) throws Exception {
    Command command = new Command(key, ByteString.copyFromUtf8(value), client.identity().spiffeId(), requestId);
    return ProposeRequest.newBuilder().setKey(key).setValue(command.value()).setRequestId(requestId)
        .setSignature(ByteString.copyFrom(client.signer().sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())))
        .setClientCertificate(ByteString.copyFrom(client.certificate().getEncoded()))
        .build();
  }

  Credentials credentials(String name) throws Exception {
    return Credentials.load(directory.resolve("pki/" + name + ".crt"), directory.resolve("pki/" + name + ".key"));
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (String name : List.copyOf(nodes.keySet())) {
      stop(name);
    }
  }
}
