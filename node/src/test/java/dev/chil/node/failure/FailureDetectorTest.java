package dev.chil.node.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {

  @Test
  void suspectsOnlyThePeerThatWentQuiet() {
    FailureDetector detector = new FailureDetector(List.of("node-2", "node-3"), 200, 8.0);
    long now = 0;
    for (int i = 0; i < 50; i++) {
      now += 200;
      detector.heartbeat("node-2", now);
      detector.heartbeat("node-3", now);
    }
    for (int i = 0; i < 10; i++) {
      now += 200;
      detector.heartbeat("node-2", now);
    }
    assertThat(detector.suspected(now)).containsExactly("node-3");
    assertThat(detector.isSuspected("node-2", now)).isFalse();
    assertThat(detector.phis(now).keySet()).containsExactly("node-2", "node-3");
  }

  @Test
  void oneLostHeartbeatIsNotSuspicion() {
    FailureDetector detector = new FailureDetector(List.of("node-2"), 200, 8.0);
    long now = 0;
    for (int i = 0; i < 50; i++) {
      detector.heartbeat("node-2", now += 200);
    }
    assertThat(detector.isSuspected("node-2", now + 400)).isFalse();
  }

  @Test
  void heartbeatsFromStrangersAreIgnoredAndAskingAboutThemIsAnError() {
    FailureDetector detector = new FailureDetector(List.of("node-2"), 200, 8.0);
    detector.heartbeat("node-9", 100);
    assertThatThrownBy(() -> detector.phi("node-9", 100)).hasMessageContaining("not a watched peer: node-9");
  }
}
