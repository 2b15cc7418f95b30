package dev.chil.node.metrics;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.assembly.DevRoster;
import dev.chil.node.assembly.ConsensusNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's metrics as Prometheus sees them: the text passes {@code promtool check metrics}, and a
 * real Prometheus (Debian's 2.42) scrapes the node and answers queries for its series. Each tool
 * is skipped, with a message, when it is not installed ({@code apt-get install prometheus}).
 */
class PrometheusIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path directory;
  private ConsensusNode node;
  private int metricsPort;
  private Process prometheus;

  @BeforeEach
  void startANodeWithMetricsAndDecideSomething() throws Exception {
    DevPki.generate(directory, new DevPki.Request("metrics", List.of("node-1"), List.of(), List.of("root"), 1), Instant.now(), false);
    int port = FreePorts.next();
    metricsPort = FreePorts.next();
    node = ConsensusNode.builder()
        .cluster("metrics").nodeId("node-1").bindAddress("127.0.0.1:" + port).dataDir(directory.resolve("data"))
        .peers(java.util.Map.of("node-1", "127.0.0.1:" + port))
        .tls(directory.resolve("node-1.crt"), directory.resolve("node-1.key"), directory.resolve("ca.crt"))
        .heartbeatInterval(Duration.ofMillis(50))
        .metricsAddress("127.0.0.1:" + metricsPort)
        .build();
    DevRoster.sign(node.config(), directory, "root");
    node.start();
    for (int i = 0; i < 3; i++) {
      String key = "claim-" + i;
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          node.propose(key, ByteString.copyFromUtf8("ok")).get(10, TimeUnit.SECONDS).success());
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theNodeServesItsMetricsAsPrometheusText() throws Exception {
    assertThat(node.metricsPort()).contains(metricsPort);
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains("chil_audit_head_index 3.0"));
    String text = scrape();
    assertThat(text).contains("chil_decisions_total ", "chil_commands_total 3.0",
        "chil_node_info{cluster=\"metrics\",node=\"node-1\"} 1", "chil_is_leader 1.0",
        "chil_proposal_duration_seconds_count{outcome=\"success\"}", "chil_state_persist_duration_seconds_bucket",
        "chil_audit_append_duration_seconds_count", "chil_batch_commands_bucket", "chil_certificate_expiry_seconds",
        "chil_leader_changes_total{cause=\"elected_here\"} 1.0", "chil_peer_messages_total{outcome=\"bad_signature\"}",
        "chil_driver_queue_depth", "jvm_memory_used_bytes", "process_cpu_seconds_total");
  }

  @Test
  void promtoolFindsNothingToFixInTheText() throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed (apt-get install prometheus): skipped");
    Path text = directory.resolve("metrics.txt");
    Files.writeString(text, scrape());
    Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(text.toFile())
        .redirectErrorStream(true).start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
    assertThat(output).as("promtool's lint findings").isBlank();
  }

  @Test
  void aRealPrometheusScrapesTheNodeAndAnswersForItsSeries() throws Exception {
    Assumptions.assumeTrue(onPath("prometheus"), "prometheus is not installed (apt-get install prometheus): skipped");
    int prometheusPort = FreePorts.next();
    Path config = directory.resolve("prometheus.yml");
    Files.writeString(config, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: chil
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """.formatted(metricsPort));
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + directory.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> query(prometheusPort, "up{job=\"chil\"}").contains("\"1\""));
    assertThat(query(prometheusPort, "chil_commands_total")).contains("\"3\"]");
    assertThat(query(prometheusPort, "chil_audit_head_index")).contains("\"3\"]");
    assertThat(query(prometheusPort, "chil_node_info")).contains("\"cluster\":\"metrics\"", "\"node\":\"node-1\"");
    assertThat(query(prometheusPort, "chil_proposal_duration_seconds_count{outcome=\"success\"}")).contains("\"3\"]");
    assertThat(query(prometheusPort, "jvm_threads_current")).contains("\"job\":\"chil\"");
  }

  private String query(int port, String promql) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).as("a non-empty answer for " + promql).contains("\"result\":[{");
    return response.body();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
        + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static boolean onPath(String command) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, command))) {
        return true;
      }
    }
    return false;
  }

}
