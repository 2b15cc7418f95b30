package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditComparison;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.client.ChilClient;
import dev.chil.client.UnverifiedAnswerException;
import dev.chil.client.VerifiedProposal;
import dev.chil.client.VerifiedRead;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.PemFiles;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.Vote;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four real nodes running {@code protocol.type: pbft} over mutual TLS on loopback: they decide
 * client-signed requests with certificates of 2f+1 = 3 distinct signers and answers vouched for
 * by f+1 replicas (reads by 2f+1), which the client library checks and refuses when one node
 * forged them; they keep deciding with a backup or the primary (view change) stopped, and a
 * restarted node catches up.
 */
class PbftClusterIT {
  private static final List<String> NAMES = List.of("node-1", "node-2", "node-3", "node-4");
  /** The primary of view 0: member 0 in name order. */
  private static final String FIRST_PRIMARY = "node-1";

  @TempDir Path directory;
  private TestCluster cluster;
  private Credentials alice;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new TestCluster(directory, NAMES, false, "pbft");
    cluster.startAll();
    alice = cluster.credentials("alice");
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void fourNodesDecideSignedRequestsAndEveryAuditLogVerifiesAndAgrees() throws Exception {
    ProposeResponse first = propose("node-1", "claim-1", "genuine", "r1");
    ProposeResponse viaBackup = propose("node-3", "claim-2", "genuine", "r2");
    ProposeResponse conflict = propose("node-4", "claim-1", "forged", "r3");

    assertThat(first.getSuccess()).isTrue();
    assertThat(viaBackup.getSuccess()).isTrue();
    assertThat(conflict.getSuccess()).isFalse();
    assertThat(conflict.getValue().toStringUtf8()).isEqualTo("genuine");
    for (ProposeResponse response : List.of(first, viaBackup, conflict)) {
      assertThat(signers(response)).hasSizeGreaterThanOrEqualTo(3);
    }

    // The client library checks every answer against the roster the CA vouches for.
    try (ChilClient client = chilClient("node-2")) {
      VerifiedProposal decided = client.propose("claim-3", ByteString.copyFromUtf8("genuine"), "r4");
      assertThat(decided.success()).isTrue();
      assertThat(decided.certifiedBy()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(decided.vouchers()).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
      VerifiedProposal refused = client.propose("claim-1", ByteString.copyFromUtf8("forged"), "r5");
      assertThat(refused.success()).isFalse();
      assertThat(refused.value().toStringUtf8()).isEqualTo("genuine");
      VerifiedRead read = client.read("claim-1");
      assertThat(read.found()).isTrue();
      assertThat(read.value().toStringUtf8()).isEqualTo("genuine");
      assertThat(read.vouchers()).hasSizeGreaterThanOrEqualTo(3);
    }

    awaitAuditHeads(5);
    cluster.close();
    List<Path> audits = new ArrayList<>();
    for (String node : NAMES) {
      VerificationResult result = AuditVerifier.verify(cluster.auditFile(node),
          PemFiles.readCertificates(cluster.caFile()).get(0), AuditVerifier.Options.full());
      assertThat(result.exitCode()).as(node + ": " + result.message()).isZero();
      audits.add(cluster.auditFile(node));
    }
    AuditComparison.Result comparison = AuditComparison.compare(audits);
    assertThat(comparison.forked()).isFalse();
    assertThat(comparison.commonPrefix()).isEqualTo(5);
  }

  @Test
  void aClientRefusesAnswersOneNodeForgedWithItsOwnKey() throws Exception {
    propose("node-2", "claim-1", "genuine", "r1");
    try (ForgingNode liar = ForgingNode.start(cluster, "node-1", "node-2", alice);
        ChilClient client = ChilClient.builder().target("127.0.0.1:" + liar.port()).credentials(alice)
            .trust(trust()).timeout(Duration.ofSeconds(20)).build()) {
      assertThatThrownBy(() -> client.propose("claim-2", ByteString.copyFromUtf8("genuine"), "r2"))
          .isInstanceOf(UnverifiedAnswerException.class)
          .hasMessageContaining("1 distinct replicas signed, 2 are needed");
      assertThatThrownBy(() -> client.read("claim-1"))
          .isInstanceOf(UnverifiedAnswerException.class)
          .hasMessageContaining("1 distinct replicas signed, 3 are needed");
    }
  }

  private ChilClient chilClient(String node) throws Exception {
    return ChilClient.builder().target("127.0.0.1:" + cluster.nodes.get(node).clientPort()).credentials(alice)
        .trust(trust()).timeout(Duration.ofSeconds(30)).build();
  }

  private ClusterTrust trust() throws Exception {
    return ClusterTrust.load(TestCluster.CLUSTER, cluster.caFile());
  }

  @Test
  void anUnsignedOrBadlySignedRequestIsRefusedAndNothingIsDecided() throws Exception {
    ProposeRequest unsigned = ProposeRequest.newBuilder().setKey("claim-1").setValue(ByteString.copyFromUtf8("x"))
        .setRequestId("u1").build();
    assertThatThrownBy(() -> cluster.client("node-2", alice).propose(unsigned))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("signature");
        });
    // Signed for another value than the one sent: a node altering a request would look like this.
    ProposeRequest altered = TestCluster.signedProposal(alice, "claim-1", "genuine", "u2").toBuilder()
        .setValue(ByteString.copyFromUtf8("forged")).build();
    assertThatThrownBy(() -> cluster.client("node-2", alice).propose(altered))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    // Another client's certificate with the caller's request.
    Credentials node = cluster.credentials("node-1");
    ProposeRequest foreign = TestCluster.signedProposal(alice, "claim-1", "genuine", "u3").toBuilder()
        .setClientCertificate(ByteString.copyFrom(node.certificate().getEncoded())).build();
    assertThatThrownBy(() -> cluster.client("node-2", alice).propose(foreign))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    ReadResponse nothing = cluster.client("node-2", alice).read(ReadRequest.newBuilder().setKey("claim-1").build());
    assertThat(nothing.getFound()).isFalse();
    assertThat(nothing.getVotesList()).extracting(Vote::getSigner).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);

    ProposeResponse genuine = propose("node-2", "claim-1", "genuine", "g1");
    assertThat(genuine.getSuccess()).isTrue();
    assertThat(genuine.getSlot()).isZero();
  }

  @Test
  void withABackupStoppedTheOthersKeepDeciding() throws Exception {
    propose("node-2", "claim-1", "genuine", "r1");
    cluster.stop("node-4");
    ProposeResponse after = propose("node-2", "claim-2", "genuine", "r2");
    assertThat(after.getSuccess()).isTrue();
    assertThat(signers(after)).hasSize(3).doesNotContain("node-4");
  }

  @Test
  void whenThePrimaryStopsTheOthersChangeViewAndKeepDeciding() throws Exception {
    propose("node-2", "claim-1", "genuine", "r1");
    cluster.stop(FIRST_PRIMARY);

    ProposeResponse after = proposeRetrying("node-3", "claim-2", "after the view change", "r2");

    assertThat(after.getSuccess()).isTrue();
    NodeStatus status = cluster.nodes.get("node-3").status().get(5, TimeUnit.SECONDS);
    assertThat(status.epoch()).isNotEqualTo("view 0");
    assertThat(status.leader()).isNotEqualTo(FIRST_PRIMARY);
    ProposeResponse again = proposeRetrying("node-2", "claim-1", "overwrite?", "r3");
    assertThat(again.getSuccess()).isFalse();
    assertThat(again.getValue().toStringUtf8()).isEqualTo("genuine");
  }

  @Test
  void aStoppedNodeRestartsAndCatchesUp() throws Exception {
    propose("node-1", "claim-1", "genuine", "r1");
    cluster.stop("node-4");
    for (int i = 2; i <= 5; i++) {
      propose("node-2", "claim-" + i, "v" + i, "r" + i);
    }

    cluster.start("node-4");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(cluster.nodes.get("node-4").status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(5));
    assertThat(cluster.nodes.get("node-4").status().get().auditHead())
        .isEqualTo(cluster.nodes.get("node-2").status().get().auditHead());
    // And it takes part again: a request through it is decided.
    assertThat(propose("node-4", "claim-6", "v6", "r6").getSuccess()).isTrue();
  }

  private ProposeResponse propose(String node, String key, String value, String requestId) throws Exception {
    return cluster.client(node, alice).withDeadlineAfter(30, TimeUnit.SECONDS)
        .propose(TestCluster.signedProposal(alice, key, value, requestId));
  }

  /** The same request (same id) until it is decided: a view change may take a few request timeouts. */
  private ProposeResponse proposeRetrying(String node, String key, String value, String requestId) {
    List<ProposeResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(propose(node, key, value, requestId)));
    return answer.get(0);
  }

  private static TreeSet<String> signers(ProposeResponse response) {
    TreeSet<String> signers = new TreeSet<>();
    for (Vote vote : response.getCertificate().getVotesList()) {
      signers.add(vote.getSigner());
    }
    return signers;
  }

  private void awaitAuditHeads(long index) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (ConsensusNode node : cluster.nodes.values()) {
        assertThat(node.status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(index);
      }
    });
  }
}
