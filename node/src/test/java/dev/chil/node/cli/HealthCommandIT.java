package dev.chil.node.cli;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.crypto.pki.DevPki;
import dev.chil.node.assembly.ConsensusNode;
import dev.chil.node.assembly.DevRoster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chil health}, as the Kubernetes probes run it: a node's own certificate, one service at a time. */
class HealthCommandIT {
  @TempDir Path directory;

  @Test
  void reportsServingPerServiceAndFailsForWhatItCannotVouchFor() throws Exception {
    DevPki.generate(directory, new DevPki.Request("probe", List.of("node-1"), List.of(), List.of("root"), 1), Instant.now(), false);
    int port = FreePorts.next();
    try (ConsensusNode node = ConsensusNode.builder().cluster("probe").nodeId("node-1")
        .bindAddress("127.0.0.1:" + port).dataDir(directory.resolve("data")).peers(Map.of("node-1", "127.0.0.1:" + port))
        .tls(directory.resolve("node-1.crt"), directory.resolve("node-1.key"), directory.resolve("ca.crt"))
        .heartbeatInterval(Duration.ofMillis(50)).build()) {
      DevRoster.sign(node.config(), directory, "root");
      node.start();
      String[] asNode = {"health", "--target", "127.0.0.1:" + port, "--timeout", "10", "--ca",
          directory.resolve("ca.crt").toString(), "--cert", directory.resolve("node-1.crt").toString(), "--key",
          directory.resolve("node-1.key").toString()};

      CliRun whole = CliRun.of(asNode);
      assertThat(whole.exitCode()).as(whole.err()).isZero();
      assertThat(whole.out().strip()).isEqualTo("SERVING");
      CliRun consensus = CliRun.of(with(asNode, "--service", "chil.consensus.v1.ConsensusService"));
      assertThat(consensus.exitCode()).as(consensus.err()).isZero();
      CliRun unknown = CliRun.of(with(asNode, "--service", "no.such.Service"));
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("chil: ", "NOT_FOUND");
    }
  }

  private static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
