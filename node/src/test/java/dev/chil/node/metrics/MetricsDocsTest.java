package dev.chil.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every chil_ metric the node registers is documented, and the dashboard asks only for metrics that exist. */
class MetricsDocsTest {
  private static final Pattern CHIL_NAME = Pattern.compile("chil_[a-z_]+");
  private static final Path DOCS = Path.of("..", "docs", "metrics.md");
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana-dashboard.json");

  @Test
  void everyRegisteredMetricIsListedInTheDocs() throws Exception {
    String docs = Files.readString(DOCS);
    assertThat(registeredNames()).isNotEmpty().allSatisfy(name -> assertThat(docs).contains("`" + name));
  }

  @Test
  void theDocsAndTheDashboardNameOnlyMetricsThatExist() throws Exception {
    Set<String> registered = registeredNames();
    assertThat(baseNames(Files.readString(DOCS))).isSubsetOf(registered);
    assertThat(baseNames(Files.readString(DASHBOARD))).isNotEmpty().isSubsetOf(registered);
  }

  /** As exposed: counters with _total; histograms by their base name. */
  private static Set<String> registeredNames() {
    NodeMetrics metrics = new NodeMetrics("docs", "node-1", Clock.systemUTC(), () -> 0, Map::of, () -> 0L,
        Instant.now());
    metrics.countEvidence(() -> 0L);
    Set<String> names = new TreeSet<>();
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (name.startsWith("chil_")) {
        names.add(snapshot instanceof CounterSnapshot ? name + "_total"
            : snapshot instanceof InfoSnapshot ? name + "_info" : name);
      }
    }
    return names;
  }

  private static Set<String> baseNames(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = CHIL_NAME.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group().replaceAll("_(bucket|count|sum)$", ""));
    }
    return names;
  }
}
