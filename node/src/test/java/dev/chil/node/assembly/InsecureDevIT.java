package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.PemFiles;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --insecure-dev: no TLS on the wire, identities claimed in a header. Nodes still sign and check
 * every message and vote, so the audit logs still verify against the CA; roles still hold.
 */
class InsecureDevIT {
  @TempDir Path directory;
  private TestCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"), true);
    cluster.startAll();
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void aPlaintextClusterDecidesAndItsAuditLogsStillVerify() throws Exception {
    Credentials alice = cluster.credentials("alice");
    List<ProposeResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(cluster.client("node-2", alice).withDeadlineAfter(5, TimeUnit.SECONDS)
            .propose(ProposeRequest.newBuilder().setKey("claim-1").setValue(ByteString.copyFromUtf8("genuine"))
                .setRequestId("r1").build())));
    assertThat(answer.get(0).getSuccess()).isTrue();
    assertThat(answer.get(0).getCertificate().getVotesCount()).isGreaterThanOrEqualTo(2);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (ConsensusNode node : cluster.nodes.values()) {
        assertThat(node.status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(1);
      }
    });
    cluster.close();
    for (String node : cluster.names) {
      VerificationResult result = AuditVerifier.verify(cluster.auditFile(node),
          PemFiles.readCertificates(cluster.caFile()).get(0), AuditVerifier.Options.full());
      assertThat(result.exitCode()).as(result.message()).isZero();
    }
  }

  @Test
  void rolesStillHoldAndACallThatClaimsNobodyIsRefused() throws Exception {
    assertThatThrownBy(() -> cluster.client("node-1", cluster.credentials("node-2")).withDeadlineAfter(5, TimeUnit.SECONDS)
        .propose(ProposeRequest.newBuilder().setKey("k").setRequestId("r").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    ManagedChannel anonymous = NettyChannelBuilder.forAddress("127.0.0.1", cluster.ports.get("node-1")).usePlaintext().build();
    try {
      assertThatThrownBy(() -> ConsensusServiceGrpc.newBlockingStub(anonymous).withDeadlineAfter(5, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    } finally {
      anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
