package dev.chil.node.cli;

import com.google.protobuf.ByteString;
import dev.chil.client.SignedRequests;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceBlockingStub;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** The demo's client: demo-client's certificate over mutual TLS, one channel per node. */
final class DemoClient implements AutoCloseable {
  private static final Duration STATUS_DEADLINE = Duration.ofSeconds(2);
  private static final Duration PROPOSE_DEADLINE = Duration.ofSeconds(5);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private final DemoCluster cluster;
  private final Map<String, ManagedChannel> channels = new TreeMap<>();

  DemoClient(DemoCluster cluster) {
    this.cluster = cluster;
  }

  /** The node's status, or empty while it cannot answer (not serving yet, or gone). */
  Optional<StatusResponse> status(String node) throws CryptoFileException, SSLException {
    try {
      return Optional.of(stub(node).withDeadlineAfter(STATUS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .status(StatusRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      retrySoon(node);
      return Optional.empty();
    }
  }

  /**
   * Proposes through {@code node} until decided, retrying while no leader is known or the answer
   * is late. Every retry carries the same request id, so the command is applied at most once.
   */
  ProposeResponse propose(String node, String key, String value, String requestId, Duration bound)
      throws CryptoFileException, SSLException, InterruptedException {
    // Signed, as a pbft cluster requires (a paxos one ignores the signature), as chil propose does.
    ProposeRequest request = SignedRequests.of(Credentials.load(cluster.pki(DemoCluster.CLIENT + ".crt"),
        cluster.pki(DemoCluster.CLIENT + ".key")), key, ByteString.copyFromUtf8(value), requestId);
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      String exited = cluster.exited(node);
      if (exited != null) {
        throw new DemoFailure(exited);
      }
      StatusRuntimeException failure;
      try {
        return stub(node).withDeadlineAfter(PROPOSE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).propose(request);
      } catch (StatusRuntimeException e) {
        failure = e;
        retrySoon(node);
      }
      Status.Code code = failure.getStatus().getCode();
      if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
        throw new DemoFailure(key + " via " + node + " was refused: " + ClientChannel.describe(failure)
            + "; see " + cluster.logFile(node));
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailure(key + " via " + node + " was not decided within " + bound.toSeconds() + " s (last answer "
            + ClientChannel.describe(failure) + "); see " + cluster.logFile(node));
      }
      Thread.sleep(RETRY_PAUSE.toMillis());
    }
  }

  /**
   * After a failed call gRPC waits out a growing backoff (seconds, later tens of seconds) before it
   * connects again; the demo polls a node that is still starting, so it asks for the next attempt
   * at once instead and sees the node as soon as it serves.
   */
  private void retrySoon(String node) {
    ManagedChannel channel = channels.get(node);
    if (channel != null) {
      channel.resetConnectBackoff();
    }
  }

  /**
   * Drops the channel to a node that was restarted: the old one may sit in reconnect backoff for
   * seconds after the port went away.
   */
  void reconnect(String node) throws InterruptedException {
    ManagedChannel channel = channels.remove(node);
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ConsensusServiceBlockingStub stub(String node) throws CryptoFileException, SSLException {
    ManagedChannel channel = channels.get(node);
    if (channel == null) {
      channel = ClientChannel.open(cluster.address(node), cluster.pki(DemoCluster.CLIENT + ".crt"),
          cluster.pki(DemoCluster.CLIENT + ".key"), cluster.pki("ca.crt"));
      channels.put(node, channel);
    }
    return ConsensusServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() throws InterruptedException {
    for (String node : Map.copyOf(channels).keySet()) {
      reconnect(node);
    }
  }
}
