package dev.chil.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfig.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticPeerDiscoveryTest {

  @Test
  void givesEveryOtherMemberByName() {
    NodeConfig config = new NodeConfig("prod", "node-2", new HostPort("127.0.0.1", 7002), Path.of("/data"),
        List.of(peer("node-3", 7003), peer("node-1", 7001), peer("node-2", 7002)),
        new NodeConfig.Protocol(NodeConfig.ProtocolType.PAXOS, Duration.ofSeconds(5), 3),
        new NodeConfig.Security(false, Optional.empty(), Optional.empty(), Optional.empty()),
        new NodeConfig.FaultTolerance(8, Duration.ofMillis(200)),
        new NodeConfig.Batching(256, 1 << 20, Duration.ofMillis(2)),
        NodeConfig.ConflictResolution.FIRST_WINS, NodeConfig.Discovery.staticPeers(), Optional.empty());

    assertThat(new StaticPeerDiscovery(config).addresses()).containsExactly(
        Map.entry("node-1", new HostPort("127.0.0.1", 7001)),
        Map.entry("node-3", new HostPort("127.0.0.1", 7003)));
  }

  private static Peer peer(String id, int port) {
    return new Peer(id, new HostPort("127.0.0.1", port), 1, Optional.empty());
  }
}
