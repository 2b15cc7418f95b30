package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.policy.DenyList;
import dev.chil.node.policy.PolicyCounters;
import dev.chil.node.policy.Refusal;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceBlockingStub;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceFutureStub;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The node's policy on a real cluster over mutual TLS: a flooding client is throttled while
 * another's proposals go on, the access rules deny and allow by prefix, a denied certificate is
 * refused, a changed file takes effect without a restart, and a bad one stops a node from starting.
 */
class PolicyIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Mallory stops at this many calls if the test has not stopped her by then. */
  private static final int FLOOD_CALLS_MAX = 5_000;
  /**
   * Mallory and Bob get the same small rate (the same rate, so that buckets shared between
   * clients would show); everyone else a generous one.
   */
  private static final String POLICY = """
      limits:
        client:
          proposals: {per_second: 10000, burst: 10000}
          reads: {per_second: 10000, burst: 10000}
        client_overrides:
          - identity: "spiffe://test/client/mallory"
            proposals: {per_second: 1, burst: 5}
          - identity: "spiffe://test/client/bob"
            proposals: {per_second: 1, burst: 5}
        all_clients:
          proposals: {per_second: 100000, burst: 100000}
          reads: {per_second: 100000, burst: 100000}
        peer:
          messages: {per_second: 100000, burst: 100000}
          bytes: {per_second: 100000000, burst: 100000000}
      access:
        default: deny
        rules:
          - name: mallory
            identities: ["spiffe://test/client/mallory"]
            propose: ["flood/"]
            read: []
          - name: traders
            identities: ["spiffe://test/client/bob", "spiffe://test/client/trader-*"]
            propose: ["orders/"]
            read: ["orders/", "shared/"]
      """;

  @TempDir Path directory;
  private TestCluster cluster;
  private Path policyFile;
  private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();

  @BeforeEach
  void startCluster() throws Exception {
    securityLog.start();
    ((Logger) LoggerFactory.getLogger("chil.security")).addAppender(securityLog);
    policyFile = Files.writeString(directory.resolve("policy.yaml"), POLICY);
    cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"), false,
        List.of("alice", "bob", "mallory"), "  policy_file: policy.yaml\n");
    cluster.startAll();
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
    ((Logger) LoggerFactory.getLogger("chil.security")).detachAppender(securityLog);
  }

  private static ProposeRequest proposal(String key, String requestId) {
    return ProposeRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("v")).setRequestId(requestId)
        .build();
  }

  private ConsensusServiceBlockingStub client(String node, String name) throws Exception {
    return cluster.client(node, cluster.credentials(name)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Status statusOf(Throwable error) {
    Throwable cause = error instanceof ExecutionException ? error.getCause() : error;
    return Status.fromThrowable(cause);
  }

  private boolean logged(String event) {
    return List.copyOf(securityLog.list).stream().flatMap(logged -> Arrays.stream(logged.getArgumentArray()))
        .anyMatch(argument -> String.valueOf(argument).equals("event=" + event));
  }

  @Test
  void aFloodingClientIsThrottledWhileAnotherClientsProposalsSucceed() throws Exception {
    ConsensusServiceFutureStub mallory = cluster.futureClient("node-1", cluster.credentials("mallory"))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
    List<ListenableFuture<ProposeResponse>> flood = new ArrayList<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    Semaphore inFlight = new Semaphore(64);
    Thread flooder = new Thread(() -> {
      for (int i = 0; flooding.get() && i < FLOOD_CALLS_MAX; i++) {
        inFlight.acquireUninterruptibly();
        ListenableFuture<ProposeResponse> call = mallory.propose(proposal("flood/" + i, "m" + i));
        call.addListener(inFlight::release, Runnable::run);
        synchronized (flood) {
          flood.add(call);
        }
      }
    }, "mallory");
    flooder.start();
    try {
      PolicyCounters counters = cluster.nodes.get("node-1").policyCounters();
      await().atMost(PATIENCE).until(() -> counters.refused(Refusal.Reason.THROTTLED) > 0);
      // Mallory's bucket is empty and she keeps calling; Bob's, of the same rate, is his own.
      ConsensusServiceBlockingStub bob = client("node-1", "bob");
      for (int i = 0; i < 5; i++) {
        assertThat(bob.propose(proposal("orders/" + i, "b" + i)).getSuccess())
            .as("bob's proposal %d during the flood", i).isTrue();
      }
    } finally {
      flooding.set(false);
      flooder.join();
    }

    List<StatusRuntimeException> throttled = new ArrayList<>();
    int decided = 0;
    for (ListenableFuture<ProposeResponse> call : flood) {
      try {
        call.get(60, TimeUnit.SECONDS);
        decided++;
      } catch (ExecutionException e) {
        assertThat(statusOf(e).getCode()).as("a flood call fails only by its rate").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        throttled.add((StatusRuntimeException) e.getCause());
      }
    }
    assertThat(decided).as("mallory's burst passed").isGreaterThanOrEqualTo(5);
    assertThat(throttled).isNotEmpty().allSatisfy(refused -> {
      assertThat(refused.getStatus().getDescription()).contains("over a limits.client_overrides entry's proposals 1/s");
      String hint = refused.getTrailers().get(ClientPolicyInterceptor.RETRY_AFTER_MS);
      assertThat(hint).as("retry-after-ms").isNotNull();
      assertThat(Long.parseLong(hint)).isBetween(1L, 1000L);
    });
    assertThat(cluster.nodes.get("node-1").policyCounters().refused(Refusal.Reason.THROTTLED))
        .isEqualTo(throttled.size());
    assertThat(logged("client_throttled")).isTrue();
  }

  @Test
  void theAccessRulesDenyKeysOutsideAClientsPrefixesAndAllowThoseInside() throws Exception {
    ConsensusServiceBlockingStub bob = client("node-2", "bob");

    assertThat(bob.propose(proposal("orders/17", "b1")).getSuccess()).isTrue();
    assertThat(bob.read(ReadRequest.newBuilder().setKey("orders/17").build()).getFound()).isTrue();
    assertThat(bob.read(ReadRequest.newBuilder().setKey("shared/rates").build()).getFound()).isFalse();
    assertThatThrownBy(() -> bob.propose(proposal("payments/1", "b2"))).isInstanceOfSatisfying(
        StatusRuntimeException.class, refused -> {
          assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(refused.getStatus().getDescription()).isEqualTo("access rule 'traders' lets"
              + " spiffe://test/client/bob propose only keys starting with ['orders/']");
        });
    assertThatThrownBy(() -> bob.propose(proposal("shared/rates", "b3"))).isInstanceOfSatisfying(
        StatusRuntimeException.class, refused -> assertThat(refused.getStatus().getCode())
            .isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> client("node-3", "alice").propose(proposal("orders/1", "a1"))).isInstanceOfSatisfying(
        StatusRuntimeException.class, refused -> {
          assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(refused.getStatus().getDescription())
              .isEqualTo("no access rule matches spiffe://test/client/alice, and access.default is deny");
        });
    assertThatThrownBy(() -> client("node-1", "mallory").read(ReadRequest.newBuilder().setKey("flood/1").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> assertThat(refused.getStatus().getCode())
            .isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(bob.propose(proposal("orders/17", "b4")).getValue().toStringUtf8())
        .as("the denied proposals decided nothing: orders/17 still holds bob's value").isEqualTo("v");
    assertThat(cluster.nodes.get("node-2").policyCounters().refused(Refusal.Reason.ACCESS_DENIED)).isEqualTo(2);
    assertThat(logged("client_access_denied")).isTrue();
  }

  @Test
  void aChangedPolicyFileTakesEffectWithoutARestartAndCanDenyACertificate() throws Exception {
    ConsensusServiceBlockingStub bob = client("node-1", "bob");
    assertThat(bob.propose(proposal("orders/1", "b1")).getSuccess()).isTrue();
    Credentials bobCredentials = cluster.credentials("bob");
    String fingerprint = DenyList.fingerprint(bobCredentials.certificate());

    replacePolicy(POLICY + "deny:\n  sha256_fingerprints: [\"" + fingerprint + "\"]\n");

    await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> bob.propose(proposal("orders/2", "b2")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
          assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(refused.getStatus().getDescription()).contains(fingerprint).contains("deny list");
        }));
    assertThat(client("node-1", "alice").status(dev.chil.proto.v1.StatusRequest.getDefaultInstance()).getNodeId())
        .as("others still pass").isEqualTo("node-1");
    assertThat(logged("client_certificate_denied")).isTrue();

    String serial = bobCredentials.certificate().getSerialNumber().toString(16);
    replacePolicy(POLICY.replace("default: deny", "default: sometimes") + "deny:\n  serials: [\"" + serial + "\"]\n");
    await().atMost(PATIENCE).until(() -> logged("policy_reload_refused"));
    assertThatThrownBy(() -> bob.propose(proposal("orders/3", "b3"))).as("the policy in force stays")
        .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> assertThat(refused.getStatus().getDescription())
            .contains(fingerprint));

    assertThat(cluster.nodes.get("node-1").reloadPolicy("test")).isFalse();
    replacePolicy(POLICY);
    // Until the watcher has read the file, bob is still refused: a refusal is a wait, not a failure.
    await().atMost(PATIENCE).ignoreExceptionsInstanceOf(StatusRuntimeException.class).untilAsserted(() ->
        assertThat(bob.propose(proposal("orders/4", "b4")).getSuccess()).isTrue());
  }

  @Test
  void aNodeDoesNotStartOnABadPolicyFile() throws Exception {
    Path bad = Files.writeString(directory.resolve("bad.yaml"), POLICY.replaceFirst("burst: 5\\}", "burst: lots}"));
    var config = ConfigLoader.load(cluster.configFile("node-1"), Map.of("CONSENSUS_POLICY_FILE", bad.toString()), false);
    assertThat(config.policyFile()).contains(bad);
    ConsensusNode node = ConsensusNode.builder().config(config).build();

    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining(bad + ":7: limits.client_overrides[0].proposals.burst: 'lots' is not a whole number");
  }

  /** As an editor or a ConfigMap writes it: a new file renamed over the old. */
  private void replacePolicy(String yaml) throws Exception {
    Path next = Files.writeString(directory.resolve("policy.yaml.next"), yaml);
    Files.move(next, policyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
