package dev.chil.node.policy;

import static dev.chil.node.policy.PolicySamples.BOUNDS;
import static dev.chil.node.policy.PolicySamples.CLUSTER;
import static dev.chil.node.policy.PolicySamples.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PolicyReloadTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  @TempDir Path directory;
  private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();
  private final PolicyCounters counters = new PolicyCounters();
  private LivePolicy live;

  private Level levelBefore;

  @BeforeEach
  void listen() {
    securityLog.start();
    Logger security = (Logger) LoggerFactory.getLogger("chil.security");
    levelBefore = security.getLevel();
    security.setLevel(Level.INFO); // loads and reloads are INFO
    security.addAppender(securityLog);
  }

  @AfterEach
  void stop() {
    Logger security = (Logger) LoggerFactory.getLogger("chil.security");
    security.detachAppender(securityLog);
    security.setLevel(levelBefore);
    if (live != null) {
      live.close();
    }
  }

  private List<String> events() {
    return List.copyOf(securityLog.list).stream()
        .flatMap(event -> java.util.Arrays.stream(event.getArgumentArray()))
        .map(String::valueOf).filter(argument -> argument.startsWith("event=")).toList();
  }

  /** Writes the file as an editor or a ConfigMap does: a new file renamed over the old. */
  private void replace(Path file, String yaml) throws Exception {
    Path next = Files.writeString(directory.resolve(file.getFileName() + ".next"), yaml);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Path policyFile(String yaml) throws Exception {
    return Files.writeString(directory.resolve("policy.yaml"), yaml);
  }

  @Test
  void aChangedFileIsReloaded() throws Exception {
    Path file = policyFile(MINIMAL);
    live = LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters);
    live.watch("test-policy-watch");
    assertThat(live.current().access().allowByDefault()).isTrue();

    replace(file, MINIMAL.replace("default: allow", "default: deny"));

    await().atMost(PATIENCE).until(() -> !live.current().access().allowByDefault());
    assertThat(counters.reloaded()).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> events().contains("event=policy_reloaded"));
  }

  @Test
  void aFileWrittenInPlaceIsReloadedToo() throws Exception {
    Path file = policyFile(MINIMAL);
    live = LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters);
    live.watch("test-policy-watch");

    Files.writeString(file, MINIMAL.replace("default: allow", "default: deny"));

    await().atMost(PATIENCE).until(() -> !live.current().access().allowByDefault());
  }

  @Test
  void aBadReloadKeepsThePolicyInForceAndSaysWhy() throws Exception {
    Path file = policyFile(MINIMAL);
    live = LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters);
    live.watch("test-policy-watch");
    Policy before = live.current();

    replace(file, MINIMAL.replace("default: allow", "default: sometimes"));

    await().atMost(PATIENCE).until(() -> counters.reloadsRefused() == 1);
    assertThat(live.current()).isSameAs(before);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(List.copyOf(securityLog.list)).anySatisfy(event -> {
      assertThat(String.valueOf(List.of(event.getArgumentArray()))).contains("event=policy_reload_refused")
          .contains(file + ":12: access.default: 'sometimes' is neither allow nor deny");
    }));

    replace(file, MINIMAL.replace("default: allow", "default: deny"));
    await().atMost(PATIENCE).until(() -> !live.current().access().allowByDefault());
  }

  @Test
  void aDeletedFileKeepsThePolicyInForce() throws Exception {
    Path file = policyFile(MINIMAL);
    live = LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters);
    Policy before = live.current();
    Files.delete(file);

    assertThat(live.reload("SIGHUP")).isFalse();
    assertThat(live.current()).isSameAs(before);
    assertThat(counters.reloadsRefused()).isEqualTo(1);
  }

  @Test
  void anExplicitReloadReadsTheFileEvenUnwatched() throws Exception {
    Path file = policyFile(MINIMAL);
    live = LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters);
    Files.writeString(file, MINIMAL.replace("default: allow", "default: deny"));

    assertThat(live.reload("SIGHUP")).isTrue();
    assertThat(live.current().access().allowByDefault()).isFalse();
  }

  @Test
  void aBadFileAtStartIsRefusedWithEveryProblem() throws Exception {
    Path file = policyFile(MINIMAL.replace("default: allow", "default: x").replace("burst: 20", "burst: -3"));

    assertThatThrownBy(() -> LivePolicy.load(Optional.of(file), CLUSTER, BOUNDS, counters))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(file + ":3: limits.client.proposals.burst: -3 is not in 1-")
        .hasMessageContaining(file + ":12: access.default: 'x' is neither allow nor deny");
  }

  @Test
  void withoutAFileTheBundledDefaultIsInForce() throws Exception {
    live = LivePolicy.load(Optional.empty(), CLUSTER, BOUNDS, counters);
    live.watch("test-policy-watch");

    assertThat(live.current().source()).isEqualTo(PolicyLoader.BUNDLED_SOURCE);
    assertThat(live.reload("SIGHUP")).isTrue();
    assertThat(events()).contains("event=policy_loaded");
  }
}
