package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditComparison;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.client.ChilClient;
import dev.chil.client.VerifiedProposal;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceBlockingStub;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real nodes over mutual TLS on loopback: decisions, failover, catch-up and refusals. */
class ClusterIT {
  @TempDir Path directory;
  private TestCluster cluster;
  private Credentials alice;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"));
    cluster.startAll();
    alice = cluster.credentials("alice");
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void proposalsAreDecidedIdenticallyAndEveryAuditChainVerifies() throws Exception {
    ProposeResponse first = propose("node-1", "claim-1", "genuine", "r1");
    ProposeResponse conflict = propose("node-2", "claim-1", "forged", "r2");
    propose("node-3", "claim-2", "genuine", "r3");

    assertThat(first.getSuccess()).isTrue();
    assertThat(first.getCertificate().getVotesCount()).isGreaterThanOrEqualTo(2);
    assertThat(conflict.getSuccess()).isFalse();
    assertThat(conflict.getValue().toStringUtf8()).isEqualTo("genuine");
    // Through a follower, checked by the client library: the certificate and the command's inclusion.
    try (ChilClient client = ChilClient.builder().target("127.0.0.1:" + cluster.nodes.get("node-3").clientPort())
        .credentials(alice).trust(ClusterTrust.load(TestCluster.CLUSTER, cluster.caFile())).build()) {
      VerifiedProposal decided = client.propose("claim-3", ByteString.copyFromUtf8("genuine"), "r4");
      assertThat(decided.success()).isTrue();
      assertThat(decided.certifiedBy()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(decided.vouchers()).isEmpty();
      assertThat(client.read("claim-3").value().toStringUtf8()).isEqualTo("genuine");
    }

    awaitAuditHeads(4);
    cluster.close();
    List<Path> audits = new ArrayList<>();
    for (String node : cluster.names) {
      VerificationResult result = AuditVerifier.verify(cluster.auditFile(node),
          PemFiles.readCertificates(cluster.caFile()).get(0), AuditVerifier.Options.full());
      assertThat(result.exitCode()).as(result.message()).isZero();
      audits.add(cluster.auditFile(node));
    }
    AuditComparison.Result comparison = AuditComparison.compare(audits);
    assertThat(comparison.forked()).isFalse();
    assertThat(comparison.commonPrefix()).isEqualTo(4);
  }

  @Test
  void whenTheLeaderStopsAnotherLeadsAndNothingAcknowledgedIsLost() throws Exception {
    propose("node-1", "claim-1", "genuine", "r1");
    String leader = leader();
    cluster.stop(leader);
    String survivor = cluster.names.stream().filter(name -> !name.equals(leader)).findFirst().orElseThrow();

    ProposeResponse after = proposeRetrying(survivor, "claim-2", "after failover", "r2");

    assertThat(after.getSuccess()).isTrue();
    assertThat(leader()).isNotEqualTo(leader);
    ProposeResponse again = proposeRetrying(survivor, "claim-1", "overwrite?", "r3");
    assertThat(again.getSuccess()).isFalse();
    assertThat(again.getValue().toStringUtf8()).isEqualTo("genuine");
  }

  @Test
  void aStoppedNodeRestartsAndCatchesUp() throws Exception {
    propose("node-1", "claim-1", "genuine", "r1");
    String leader = leader();
    String follower = cluster.names.stream().filter(name -> !name.equals(leader)).findFirst().orElseThrow();
    cluster.stop(follower);
    for (int i = 2; i <= 5; i++) {
      proposeRetrying(otherThan(follower), "claim-" + i, "v" + i, "r" + i);
    }

    cluster.start(follower);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.nodes.get(follower).status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(5));
    assertThat(cluster.nodes.get(follower).status().get().auditHead())
        .isEqualTo(cluster.nodes.get(otherThan(follower)).status().get().auditHead());
  }

  @Test
  void aClientOfAnotherCaAndANodeActingAsClientAreRefused() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority other = CertificateAuthority.create("other CA", now.minusSeconds(60), now.plusSeconds(3600));
    Credentials outsider = other.issue(Identity.client(TestCluster.CLUSTER, "alice"), now.minusSeconds(60), now.plusSeconds(3600));

    assertThatThrownBy(() -> cluster.client("node-1", outsider).withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThatThrownBy(() -> cluster.client("node-1", cluster.credentials("node-2")).withDeadlineAfter(10, TimeUnit.SECONDS)
        .propose(request("claim-9", "x", "r9")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void everyNodeReadsWhatWasAcknowledgedBeforeTheRead() throws Exception {
    propose("node-1", "claim-1", "genuine", "r1");

    for (String node : cluster.names) {
      ReadResponse read = cluster.client(node, alice).withDeadlineAfter(10, TimeUnit.SECONDS)
          .read(ReadRequest.newBuilder().setKey("claim-1").build());
      assertThat(read.getFound()).as(node).isTrue();
      assertThat(read.getValue().toStringUtf8()).as(node).isEqualTo("genuine");
    }
    ReadResponse missing = cluster.client("node-2", alice).withDeadlineAfter(10, TimeUnit.SECONDS)
        .read(ReadRequest.newBuilder().setKey("claim-404").build());
    assertThat(missing.getFound()).isFalse();
  }

  @Test
  void statusShowsTheLeaderAndPeers() throws Exception {
    propose("node-1", "claim-1", "genuine", "r1");
    StatusResponse status = cluster.client("node-2", alice).withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance());

    assertThat(status.getNodeId()).isEqualTo("node-2");
    assertThat(status.getLeader()).isEqualTo(leader());
    assertThat(status.getCommitIndex()).isGreaterThanOrEqualTo(1);
    assertThat(status.getPeersList()).extracting(peer -> peer.getNodeId()).containsExactly("node-1", "node-3");
  }

  /**
   * A key or value over its limit can never be decided: INVALID_ARGUMENT, naming the limit. The
   * largest value that fits beside its key, request id and client id is decided. A message larger
   * than the largest valid request is refused by gRPC on the client port from its 5-byte header,
   * before its body is read or any handler runs (the deframer's own wording says so), so the node
   * never holds it.
   */
  @Test
  void requestsThatCanNeverSucceedGetTheirCodesAndAnOverLimitMessageIsRefusedUnread() throws Exception {
    ConsensusServiceBlockingStub stub = cluster.client("node-2", alice);
    // A deadline per call: one shared deadline runs out over the whole sequence on a busy machine.
    Supplier<ConsensusServiceBlockingStub> client = () -> stub.withDeadlineAfter(60, TimeUnit.SECONDS);
    String key = "claim-big";
    String requestId = "r-big";
    int batchBytesMax = cluster.nodes.get("node-2").config().batching().bytesMax();
    int valueBytesMax = batchBytesMax - 3 * (key.length() + alice.identity().spiffeId().length() + requestId.length());

    assertThatThrownBy(() -> client.get().propose(request("k".repeat(1025), "v", "r-key")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("key must be 1-1024 UTF-8 bytes");
        });
    assertThatThrownBy(() -> client.get().propose(sized(key, valueBytesMax + 1, requestId)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("at most " + valueBytesMax + " bytes");
        });
    for (String badKey : List.of("", "k".repeat(1025))) {
      assertThatThrownBy(() -> client.get().read(ReadRequest.newBuilder().setKey(badKey).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("key must be 1-1024 UTF-8 bytes");
          });
    }
    int messageBytesMax = new ClientLimits(batchBytesMax).messageBytesMax();
    assertThatThrownBy(() -> client.get().propose(sized(key, 2 * messageBytesMax, requestId)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("exceeds maximum size " + messageBytesMax);
        });

    ProposeResponse largest = client.get().propose(sized(key, valueBytesMax, requestId));
    assertThat(largest.getSuccess()).isTrue();
    assertThat(largest.getValue().size()).isEqualTo(valueBytesMax);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.nodes.get("node-2").callsInProgress().get(5, TimeUnit.SECONDS)).containsExactly(0, 0, 0));
  }

  private static ProposeRequest sized(String key, int valueBytes, String requestId) {
    return ProposeRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(new byte[valueBytes]))
        .setRequestId(requestId).build();
  }

  private ProposeResponse propose(String node, String key, String value, String requestId) throws Exception {
    return proposeRetrying(node, key, value, requestId);
  }

  /** Retries with the same request id while no leader is elected yet: applied once either way. */
  private ProposeResponse proposeRetrying(String node, String key, String value, String requestId) throws Exception {
    ConsensusServiceBlockingStub client = cluster.client(node, alice);
    List<ProposeResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(client.withDeadlineAfter(10, TimeUnit.SECONDS).propose(request(key, value, requestId))));
    return answer.get(0);
  }

  private static ProposeRequest request(String key, String value, String requestId) {
    return ProposeRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).setRequestId(requestId).build();
  }

  private void awaitAuditHeads(long index) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (ConsensusNode node : cluster.nodes.values()) {
        assertThat(node.status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(index);
      }
    });
  }

  private String leader() {
    List<String> leader = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      String found = leaderQuietly();
      return found != null && leader.add(found);
    });
    return leader.get(0);
  }

  private String leaderQuietly() throws Exception {
    for (ConsensusNode node : cluster.nodes.values()) {
      if (node.status().get(5, TimeUnit.SECONDS).role().equals("leader")) {
        return node.config().nodeId();
      }
    }
    return null;
  }

  private String otherThan(String node) {
    return cluster.nodes.keySet().stream().filter(name -> !name.equals(node)).findFirst().orElseThrow();
  }
}
