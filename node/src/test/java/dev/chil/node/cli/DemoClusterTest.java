package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoClusterTest {
  @TempDir Path directory;

  @Test
  void writesAConfigPerNodeOnDistinctLoopbackPorts() throws Exception {
    try (DemoCluster cluster = DemoCluster.create(directory, new PrintWriter(new StringWriter()))) {
      assertThat(DemoCluster.NODES.stream().map(node -> cluster.address(node).port()).distinct()).hasSize(3);
      assertThat(Files.readString(cluster.configFile("node-2")))
          .contains("node_id: node-2", "bind_address: \"127.0.0.1:" + cluster.address("node-2").port() + "\"",
              "ca_file: pki/ca.crt", "- {id: node-3, address: \"127.0.0.1:" + cluster.address("node-3").port() + "\"}");
      assertThat(cluster.pki("demo-client.key")).exists();
    }
  }

  @Test
  void aNodeThatExitsIsReportedWithItsLogAndLastLine() throws Exception {
    try (DemoCluster cluster = DemoCluster.create(directory, new PrintWriter(new StringWriter()))) {
      Files.writeString(cluster.configFile("node-1"), Files.readString(cluster.configFile("node-1")) + "  colour: blue\n");

      cluster.start("node-1");

      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.exited("node-1") != null);
      assertThat(cluster.exited("node-1"))
          .startsWith("node-1 exited with status 1; see " + cluster.logFile("node-1") + " (last line: ")
          .contains("consensus.colour");
    }
  }
}
