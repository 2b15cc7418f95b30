package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditComparison;
import dev.chil.crypto.Credentials;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceFutureStub;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.StatusRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls sent to a follower while the leader is gone wait, within their deadline, for the next
 * leader instead of failing at once. The links between the followers are cut while the leader
 * goes, so that no new leader can exist when the calls are sent; healing them lets one be elected.
 */
class LeaderChangeIT {
  /** Far longer than an election, even on a busy machine; the calls must not need it. */
  private static final long CALL_DEADLINE_SECONDS = 60;
  /**
   * For calls stalled at a paused leader: still far longer than an election, but shorter than the
   * peer channel's keepalive (30 s, then 10 s for the answer), which would end a stalled forward
   * on its own, so that only moving on at the leader change can answer them in time.
   */
  private static final long STALLED_CALL_DEADLINE_SECONDS = 25;

  @TempDir Path directory;
  private TestCluster cluster;
  private Links links;
  private Credentials alice;

  @BeforeEach
  void startClusterBehindLinks() throws Exception {
    cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"));
    links = new Links(cluster);
    links.startAll();
    alice = cluster.credentials("alice");
  }

  @AfterEach
  void stopEverything() throws Exception {
    cluster.close();
    links.close();
  }

  @Test
  void aReadAndAProposalSentToAFollowerWhileTheLeaderIsStoppedSucceedUnderTheNextLeader() throws Exception {
    String leader = establishLeader();
    String follower = otherThan(leader, null);
    String other = otherThan(leader, follower);
    ConsensusServiceFutureStub client = connectedClient(follower);
    links.cut(follower, other);
    cluster.stop(leader);

    // Sent at once, the calls reach the follower while it still believes in the stopped leader:
    // its forwards there fail, and it waits for the next leader.
    ListenableFuture<ReadResponse> read = client.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .read(ReadRequest.newBuilder().setKey("claim-0").build());
    ListenableFuture<ProposeResponse> proposal = client.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .propose(request("claim-1", "after", "r1"));
    awaitNoLeaderKnownAt(follower);
    assertThat(read.isDone() || proposal.isDone()).as("a call answered or failed with no leader to answer it").isFalse();
    links.heal(follower, other);

    assertThat(read.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).getValue().toStringUtf8()).isEqualTo("genuine");
    assertThat(proposal.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).getSuccess()).isTrue();
    assertThat(leader()).isIn(follower, other);
  }

  /**
   * The leader stops answering without closing its connections: a forward to it stalls rather
   * than fails. The follower moves the calls on when it learns the leader is gone, and carries
   * the proposal, with its request id, to the next leader; it is applied once.
   */
  @Test
  void aReadAndAProposalSentToAFollowerWhileTheLeaderIsPausedSucceedUnderTheNextLeader() throws Exception {
    String leader = establishLeader();
    String follower = otherThan(leader, null);
    ConsensusServiceFutureStub client = connectedClient(follower);
    // First only the follower's connections to the leader stall: the leader still leads and
    // heartbeats the follower, so the follower forwards the calls to it, where they stall.
    links.pause(follower, leader);

    ListenableFuture<ReadResponse> read = client.withDeadlineAfter(STALLED_CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .read(ReadRequest.newBuilder().setKey("claim-0").build());
    ListenableFuture<ProposeResponse> proposal = client.withDeadlineAfter(STALLED_CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .propose(request("claim-1", "after", "r1"));
    // Both calls wait (each a deadline timer and a wait for another leader), unless a spurious
    // election on a busy machine already moved them on to a new leader that answered.
    await().atMost(Duration.ofSeconds(60)).until(() ->
        cluster.nodes.get(follower).callsInProgress().get(5, TimeUnit.SECONDS).get(0) >= 4
            || read.isDone() && proposal.isDone());
    // Now the leader falls silent to everyone, as if stopped with SIGSTOP; the others elect a new one.
    links.pause(leader);
    assertThat(read.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).getValue().toStringUtf8()).isEqualTo("genuine");
    ProposeResponse decided = proposal.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(decided.getSuccess()).isTrue();
    // The paused leader still believes it leads; the new one is the one the follower follows.
    String newLeader = cluster.nodes.get(follower).status().get(5, TimeUnit.SECONDS).leader();
    assertThat(newLeader).isIn(follower, otherThan(leader, follower));

    links.resume(leader);
    ProposeResponse retried = cluster.client(leader, alice).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .propose(request("claim-1", "after", "r1"));
    assertThat(retried.getSlot()).as("the retry is answered from the one application").isEqualTo(decided.getSlot());
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      long head = cluster.nodes.get(newLeader).status().get(5, TimeUnit.SECONDS).auditHead().index();
      assertThat(head).as("claim-0 and claim-1, each once").isEqualTo(2);
      for (ConsensusNode node : cluster.nodes.values()) {
        assertThat(node.status().get(5, TimeUnit.SECONDS).auditHead().index()).isEqualTo(head);
      }
    });
    cluster.close();
    assertThat(AuditComparison.compare(cluster.names.stream().map(cluster::auditFile).toList()).forked()).isFalse();
  }

  /**
   * Two of three nodes stopped: no leader can be elected, the calls end at their deadline, and
   * nothing of them stays. The calls carry no deadline of their own, so DEADLINE_EXCEEDED can only
   * be the node's, at {@code protocol.timeout}, naming what the call waited for.
   */
  @Test
  void callsWhoseDeadlinePassesWithNoLeaderFailWithDeadlineExceededAndLeaveNothingBehind() throws Exception {
    String leader = establishLeader();
    String survivor = otherThan(leader, null);
    cluster.stop(otherThan(leader, survivor));
    cluster.stop(leader);

    assertCallsEndAtTheNodesDeadline(survivor, "a leader to be elected");
  }

  /**
   * The survivor is the old leader: it still believes it leads, but cannot reach a quorum. Its
   * calls end at the deadline too, and its driver forgets them (the command may still be decided
   * later; a retry with its request id would then get that answer).
   */
  @Test
  void aLeaderWithoutItsQuorumEndsCallsAtTheirDeadlineAndForgetsThem() throws Exception {
    String leader = establishLeader();
    String first = otherThan(leader, null);
    cluster.stop(first);
    cluster.stop(otherThan(leader, first));

    assertCallsEndAtTheNodesDeadline(leader, "this node's driver");
  }

  private void assertCallsEndAtTheNodesDeadline(String node, String waitedFor) throws Exception {
    ConsensusServiceFutureStub client = cluster.futureClient(node, alice);
    ListenableFuture<ProposeResponse> proposal = client.propose(request("claim-1", "lost", "r1"));
    ListenableFuture<ReadResponse> read = client.read(ReadRequest.newBuilder().setKey("claim-0").build());
    for (ListenableFuture<?> call : List.of(proposal, read)) {
      assertThatThrownBy(() -> call.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(e.getStatus().getDescription()).as("the node's own reason")
                .contains("before its deadline; it waited for " + waitedFor);
          });
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.nodes.get(node).callsInProgress().get(5, TimeUnit.SECONDS))
            .as("calls held; proposals and reads pending in the driver").containsExactly(0, 0, 0));
  }

  /** A client whose channel to {@code node} is connected already, so that its next call goes out at once. */
  private ConsensusServiceFutureStub connectedClient(String node) throws Exception {
    ConsensusServiceFutureStub client = cluster.futureClient(node, alice);
    client.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance())
        .get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    return client;
  }

  /** Decides claim-0 = genuine and returns the leader that decided it. */
  private String establishLeader() {
    List<ProposeResponse> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).ignoreException(StatusRuntimeException.class)
        .until(() -> answer.add(cluster.client("node-1", alice).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .propose(request("claim-0", "genuine", "r0"))));
    assertThat(answer.get(0).getSuccess()).isTrue();
    return leader();
  }

  /** The follower has noticed that its leader is gone (and no other has been elected). */
  private void awaitNoLeaderKnownAt(String follower) {
    await().atMost(Duration.ofSeconds(60)).until(() ->
        cluster.nodes.get(follower).status().get(5, TimeUnit.SECONDS).leader().isEmpty());
  }

  private String leader() {
    List<String> leader = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (ConsensusNode node : cluster.nodes.values()) {
        try {
          if (node.status().get(5, TimeUnit.SECONDS).role().equals("leader")) {
            return leader.add(node.config().nodeId());
          }
        } catch (ExecutionException e) {
          // a node stopping: ask the next
        }
      }
      return false;
    });
    return leader.get(0);
  }

  private String otherThan(String one, String two) {
    return cluster.names.stream().filter(name -> !name.equals(one) && !name.equals(two)).findFirst().orElseThrow();
  }

  private static ProposeRequest request(String key, String value, String requestId) {
    return ProposeRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).setRequestId(requestId).build();
  }
}
