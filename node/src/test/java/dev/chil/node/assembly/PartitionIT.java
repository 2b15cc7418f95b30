package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditComparison;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.PemFiles;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's partition scenarios over real gRPC and mutual TLS: every node reaches every
 * peer through a {@link LinkProxy} of its own, so the test can cut a node off mid-batch.
 */
class PartitionIT {
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  @TempDir Path directory;
  private TestCluster cluster;
  private Credentials alice;
  private Links links;

  @BeforeEach
  void startClusterBehindProxies() throws Exception {
    cluster = new TestCluster(directory, NODES);
    links = new Links(cluster);
    links.startAll();
    alice = cluster.credentials("alice");
  }

  @AfterEach
  void stopEverything() throws Exception {
    cluster.close();
    links.close();
  }

  /**
   * The leader is cut off while a batch of proposals is in flight; a new leader takes over on the
   * other side; then the old leader rejoins. Every proposal a client was told succeeded is in
   * every node's state and audit log, and the logs agree.
   */
  @Test
  void aLeaderCutOffMidBatchLosesNothingAcknowledgedAndTheLogsAgreeAfterHealing() throws Exception {
    List<String> acknowledged = new ArrayList<>();
    acknowledged.add(propose(NODES.get(0), "claim-0", "r0").getValue().toStringUtf8());
    String oldLeader = leader();

    List<ListenableFuture<ProposeResponse>> inFlight = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      inFlight.add(cluster.futureClient(oldLeader, alice).withDeadlineAfter(5, TimeUnit.SECONDS)
          .propose(request("claim-" + i, "r" + i)));
    }
    links.isolate(oldLeader);
    String survivor = NODES.stream().filter(node -> !node.equals(oldLeader)).findFirst().orElseThrow();
    for (int i = 6; i <= 8; i++) {
      acknowledged.add(propose(survivor, "claim-" + i, "r" + i).getValue().toStringUtf8());
    }
    for (ListenableFuture<ProposeResponse> future : inFlight) {
      try {
        acknowledged.add(future.get(10, TimeUnit.SECONDS).getValue().toStringUtf8());
      } catch (ExecutionException e) {
        // Not acknowledged: cut off before its quorum, or timed out. It may still be decided.
      }
    }
    assertThat(leader()).isNotEqualTo(oldLeader);

    links.heal(oldLeader);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      long head = cluster.nodes.get(survivor).status().get(5, TimeUnit.SECONDS).auditHead().index();
      for (ConsensusNode node : cluster.nodes.values()) {
        assertThat(node.status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(head);
      }
    });
    for (String value : acknowledged) {
      String key = "claim-" + value.substring(1);
      for (String node : NODES) {
        assertThat(read(node, key).getValue().toStringUtf8()).as(key + " read at " + node).isEqualTo(value);
      }
    }

    cluster.close();
    List<Path> audits = new ArrayList<>();
    for (String node : NODES) {
      VerificationResult result = AuditVerifier.verify(cluster.auditFile(node),
          PemFiles.readCertificates(cluster.caFile()).get(0), AuditVerifier.Options.full());
      assertThat(result.exitCode()).as(result.message()).isZero();
      audits.add(cluster.auditFile(node));
    }
    assertThat(AuditComparison.compare(audits).forked()).isFalse();
  }

  /** Proposes, retrying with the same request id while no leader is reachable: applied once either way. */
  private ProposeResponse propose(String node, String key, String requestId) {
    List<ProposeResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(cluster.client(node, alice).withDeadlineAfter(5, TimeUnit.SECONDS)
            .propose(request(key, requestId))));
    return answer.get(0);
  }

  /** Reads, retrying while the node knows no leader (it may just have stepped down). */
  private ReadResponse read(String node, String key) {
    List<ReadResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(cluster.client(node, alice).withDeadlineAfter(5, TimeUnit.SECONDS)
            .read(ReadRequest.newBuilder().setKey(key).build())));
    return answer.get(0);
  }

  /** The value of claim-N is rN, so an acknowledged value names its key. */
  private static ProposeRequest request(String key, String requestId) {
    return ProposeRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(requestId)).setRequestId(requestId).build();
  }

  /** The node the reachable majority follows: a cut-off old leader may still believe it leads. */
  private String leader() {
    List<String> leader = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      Map<String, Integer> votes = new TreeMap<>();
      for (ConsensusNode node : cluster.nodes.values()) {
        String believed = node.status().get(5, TimeUnit.SECONDS).leader();
        if (!believed.isEmpty()) {
          votes.merge(believed, 1, Integer::sum);
        }
      }
      votes.forEach((name, count) -> {
        if (count >= 2 && leader.isEmpty()) {
          leader.add(name);
        }
      });
      return !leader.isEmpty();
    });
    return leader.get(0);
  }
}
