package dev.chil.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.pki.DevPki;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.assembly.ConsensusNode;
import dev.chil.node.assembly.RosterSigning;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster load: three real nodes in this JVM (mutual TLS, signatures, fsync, audit, all on), and
 * a client keeping {@code clients} proposals in flight at the leader for {@code seconds}. Prints
 * decided writes per second and latency percentiles. The client shares the machine's cores with
 * the nodes, so compare runs made the same way, as ratios.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.chil.bench.ClusterLoad [seconds] [clients] [value bytes] [batch delay ms]</pre>
 */
public final class ClusterLoad {
  private ClusterLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Duration batchDelay = Duration.ofMillis(args.length > 3 ? Integer.parseInt(args[3]) : 2);
    Path directory = Files.createTempDirectory("chil-cluster-load");
    List<String> names = List.of("node-1", "node-2", "node-3");
    DevPki.generate(directory, new DevPki.Request("load", names, List.of("client"), List.of("bench"), 1), Instant.now(),
        false);
    Map<String, String> addresses = new TreeMap<>();
    for (String name : names) {
      try (ServerSocket socket = new ServerSocket(0)) {
        addresses.put(name, "127.0.0.1:" + socket.getLocalPort());
      }
    }
    List<ConsensusNode> nodes = new ArrayList<>();
    for (String name : names) {
      ConsensusNode node = ConsensusNode.builder().cluster("load").nodeId(name).bindAddress(addresses.get(name))
          .dataDir(directory.resolve("data").resolve(name)).peers(addresses)
          .tls(directory.resolve(name + ".crt"), directory.resolve(name + ".key"), directory.resolve("ca.crt"))
          .batching(256, 1 << 20, batchDelay)
          .build();
      nodes.add(node);
    }
    // The roster every node starts from, signed by a dev admin into roster.json beside the CA.
    RosterSigning.write(directory.resolve("roster.json"), RosterSigning.sign(nodes.get(0).config(),
        Credentials.load(directory.resolve("admin-bench.crt"), directory.resolve("admin-bench.key")), 0, Instant.now()));
    for (ConsensusNode node : nodes) {
      node.start();
    }
    Credentials client = Credentials.load(directory.resolve("client.crt"), directory.resolve("client.key"));
    ManagedChannel channel = null;
    try {
      String leader = awaitLeader(nodes);
      channel = NettyChannelBuilder.forTarget(addresses.get(leader))
          .sslContext(TlsContexts.client(client, ClusterTrust.load("load", directory.resolve("ca.crt")), Clock.systemUTC()))
          .build();
      ConsensusServiceGrpc.ConsensusServiceFutureStub stub = ConsensusServiceGrpc.newFutureStub(channel);
      ByteString value = ByteString.copyFrom(new byte[valueBytes]);
      run(stub, value, clients, Duration.ofSeconds(3), null); // warm-up: JIT, connections, SQLite caches
      long[] latencies = new long[1 << 22];
      AtomicLong recorded = new AtomicLong();
      long started = System.nanoTime();
      long decided = run(stub, value, clients, Duration.ofSeconds(seconds), (latency) -> {
        long index = recorded.getAndIncrement();
        if (index < latencies.length) {
          latencies[(int) index] = latency;
        }
      });
      double elapsed = (System.nanoTime() - started) / 1e9;
      long[] sorted = Arrays.copyOf(latencies, (int) Math.min(recorded.get(), latencies.length));
      Arrays.sort(sorted);
      System.out.printf("cluster load: 3 nodes, leader %s, %d clients in flight, %d-byte values, batch delay %d ms, %d s%n",
          leader, clients, valueBytes, batchDelay.toMillis(), seconds);
      System.out.printf("  %d writes decided, %.0f writes/s%n", decided, decided / elapsed);
      System.out.printf("  latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n",
          percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), percentile(sorted, 1.0));
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      nodes.forEach(ConsensusNode::close);
    }
  }

  /** Keeps {@code clients} proposals in flight for {@code duration}; returns how many were decided. */
  private static long run(ConsensusServiceGrpc.ConsensusServiceFutureStub stub, ByteString value, int clients,
      Duration duration, java.util.function.LongConsumer latencyNanos) throws InterruptedException {
    Semaphore inFlight = new Semaphore(clients);
    AtomicLong decided = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    long sequence = 0;
    while (System.nanoTime() < end) {
      inFlight.acquire();
      long sent = System.nanoTime();
      String id = Long.toString(sent) + "-" + sequence++;
      Futures.addCallback(stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .propose(ProposeRequest.newBuilder().setKey("load-" + id).setValue(value).setRequestId(id).build()),
          new FutureCallback<ProposeResponse>() {
            @Override
            public void onSuccess(ProposeResponse response) {
              decided.incrementAndGet();
              if (latencyNanos != null) {
                latencyNanos.accept(System.nanoTime() - sent);
              }
              inFlight.release();
            }

            @Override
            public void onFailure(Throwable error) {
              inFlight.release();
            }
          }, MoreExecutors.directExecutor());
    }
    inFlight.acquire(clients); // wait for the last ones
    return decided.get();
  }

  private static String awaitLeader(List<ConsensusNode> nodes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ConsensusNode node : nodes) {
        if (node.status().get(5, TimeUnit.SECONDS).role().equals("leader")) {
          return node.config().nodeId();
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no leader within 30 s");
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
