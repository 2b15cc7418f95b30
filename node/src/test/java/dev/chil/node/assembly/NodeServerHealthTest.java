package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.tls.ClaimedIdentity;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.NodeConfig;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.PeerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the health service says of a node that is lagging, caught up, or stopped. */
class NodeServerHealthTest {
  @TempDir Path directory;

  @Test
  void aLaggingNodesConsensusServiceReportsNotServingAndAStoppedNodeNeverServesAgain() throws Exception {
    TestCluster cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"), true);
    NodeConfig config = ConfigLoader.load(cluster.configFile("node-1"), Map.of(), true);
    try (NodeServer server = NodeServer.listen(config, cluster.credentials("node-1"),
        ClusterTrust.load(TestCluster.CLUSTER, cluster.caFile()), Clock.systemUTC())) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
          .intercept(ClaimedIdentity.claiming(cluster.credentials("alice").identity())).build();
      try {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);

        server.lagging(false);
        assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
        server.lagging(true);
        assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        server.lagging(false);
        assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);

        server.notServing();
        server.lagging(false);
        assertThat(status(health, ConsensusServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status(health, PeerServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
    return health.withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }
}
