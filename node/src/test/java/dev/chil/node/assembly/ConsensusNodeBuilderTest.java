package dev.chil.node.assembly;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.ConfigException;
import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.statemachine.DecisionRegistry;
import dev.chil.node.statemachine.StateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsensusNodeBuilderTest {
  @TempDir Path directory;

  @Test
  void aNodeBuiltKeyByKeyRunsAndDecides() throws Exception {
    ConsensusNode node = soloNode(new DecisionRegistry(NodeConfig.ConflictResolution.FIRST_WINS));
    assertThat(node.config().bindAddress().host()).isEqualTo("127.0.0.1");
    try {
      node.start();
      ProposalResult result = proposeOnceLeading(node);
      assertThat(result.success()).isTrue();
      assertThat(result.auditIndex()).isEqualTo(1);
      assertThat(result.certificate().votes()).hasSize(1);
    } finally {
      node.close();
    }
  }

  @Test
  void aNodeWhoseStateMachineBreaksStopsWorkingAndSaysSo() throws Exception {
    ConsensusNode node = soloNode(new StateMachine() {
      @Override
      public Result apply(long slot, Command command) {
        throw new IllegalStateException("state machine bug");
      }

      @Override
      public Optional<Entry> read(String key) {
        return Optional.empty();
      }
    });
    try {
      node.start();
      CompletableFuture<Void> failed = node.failed();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
        node.propose("claim-1", ByteString.copyFromUtf8("x")); // until a leader takes it and applies it
        return failed.isDone();
      });
      assertThat(failed).isCompletedExceptionally();
      assertThatThrownBy(() -> node.propose("claim-2", ByteString.copyFromUtf8("y")).get(5, TimeUnit.SECONDS))
          .hasMessageContaining("stopping");
    } finally {
      node.close();
    }
  }

  @Test
  void aBadKeyIsNamedAsInAFile() {
    assertThatThrownBy(() -> ConsensusNode.builder().cluster("solo").nodeId("node-1").bindAddress("nowhere")
        .dataDir(directory).peers(Map.of("node-1", "127.0.0.1:7001")).build())
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .contains("consensus.bind_address: 'nowhere' is not host:port", "consensus.security.cert_file: is required");
  }

  @Test
  void aConfigAndKeysTogetherAreRefused() {
    NodeConfig config = new NodeConfig("solo", "node-1", new HostPort("127.0.0.1", 7001), directory,
        List.of(new NodeConfig.Peer("node-1", new HostPort("127.0.0.1", 7001), 1, Optional.empty())),
        new NodeConfig.Protocol(NodeConfig.ProtocolType.PAXOS, Duration.ofSeconds(5), 3),
        new NodeConfig.Security(false, Optional.empty(), Optional.empty(), Optional.empty()),
        new NodeConfig.FaultTolerance(8, Duration.ofMillis(200)),
        new NodeConfig.Batching(256, 1 << 20, Duration.ofMillis(2)),
        NodeConfig.ConflictResolution.FIRST_WINS, NodeConfig.Discovery.staticPeers(), Optional.empty());

    assertThatThrownBy(() -> ConsensusNode.builder().nodeId("node-1").config(config).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("either config(..) or the keys");
  }

  /** A one-node cluster with a dev PKI, built key by key. */
  private ConsensusNode soloNode(StateMachine stateMachine) throws Exception {
    DevPki.generate(directory, new DevPki.Request("solo", List.of("node-1"), List.of(), List.of("root"), 1),
        Instant.now(), false);
    int port = FreePorts.next();
    ConsensusNode node = ConsensusNode.builder()
        .cluster("solo")
        .nodeId("node-1")
        .bindAddress("127.0.0.1:" + port)
        .dataDir(directory.resolve("data"))
        .peers(Map.of("node-1", "127.0.0.1:" + port))
        .tls(directory.resolve("node-1.crt"), directory.resolve("node-1.key"), directory.resolve("ca.crt"))
        .heartbeatInterval(Duration.ofMillis(50))
        .stateMachine(stateMachine)
        .build();
    DevRoster.sign(node.config(), directory, "root");
    return node;
  }

  /** A single-node cluster elects itself within its election timeout; until then proposals redirect. */
  private static ProposalResult proposeOnceLeading(ConsensusNode node) {
    List<ProposalResult> result = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
        result.add(node.propose("claim-1", ByteString.copyFromUtf8("genuine")).get(10, TimeUnit.SECONDS)));
    return result.get(0);
  }
}
