package dev.chil.node.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhiAccrualDetectorTest {

  /**
   * phi = -log10(1 - F(t)) for a normal F, checked against values of the standard normal tail
   * Q(z) = 1 - F from tables: Q(0) = 0.5, Q(1) = 0.158655, Q(2) = 0.0227501, Q(3) = 0.00134990,
   * Q(5) = 2.86652e-7, Q(-3) = 0.998650.
   */
  @ParameterizedTest
  @CsvSource({
      "1000, 0.5",
      "1100, 0.158655",
      "1200, 0.0227501",
      "1300, 0.00134990",
      "1500, 2.86652e-7",
      " 700, 0.998650"})
  void matchesTheFormulaOfHayashibara(double elapsed, double normalTail) {
    assertThat(PhiAccrualDetector.phi(elapsed, 1000, 100)).isCloseTo(-Math.log10(normalTail), within(1e-5));
  }

  @Test
  void phiIsFiniteFarInTheTail() {
    assertThat(PhiAccrualDetector.phi(1_000_000, 1000, 100)).isFinite().isGreaterThan(300);
  }

  @Test
  void nothingIsSuspectedBeforeTheFirstHeartbeat() {
    PhiAccrualDetector detector = new PhiAccrualDetector(100, 100, 10, 0);
    assertThat(detector.phi(1_000_000)).isZero();
  }

  @Test
  void regularHeartbeatsKeepPhiLowAndSilenceRaisesItSteadily() {
    PhiAccrualDetector detector = new PhiAccrualDetector(100, 100, 10, 0);
    Random jitter = new Random(7);
    long now = 0;
    for (int i = 0; i < 200; i++) {
      now += 95 + jitter.nextInt(11); // 95..105 ms
      detector.heartbeat(now);
    }
    assertThat(detector.phi(now + 50)).isLessThan(0.1);
    assertThat(detector.phi(now + 100)).isLessThan(0.5);

    double previous = 0;
    for (long silence = 100; silence <= 400; silence += 10) {
      double phi = detector.phi(now + silence);
      assertThat(phi).isGreaterThanOrEqualTo(previous);
      previous = phi;
    }
    // Stddev floor 10 ms around a 100 ms mean: 200 ms of silence is ten deviations late.
    assertThat(detector.phi(now + 200)).isGreaterThan(8);
  }

  @Test
  void theBootstrapIntervalSuspectsAPeerThatSentOneHeartbeatOnly() {
    PhiAccrualDetector detector = new PhiAccrualDetector(100, 100, 10, 0);
    detector.heartbeat(5_000);
    assertThat(detector.phi(5_100)).isLessThan(1);
    assertThat(detector.phi(5_400)).isGreaterThan(8);
  }

  @Test
  void theEstimateFollowsANewIntervalOnceTheWindowHasTurnedOver() {
    PhiAccrualDetector detector = new PhiAccrualDetector(50, 100, 10, 0);
    long now = 0;
    for (int i = 0; i < 50; i++) {
      detector.heartbeat(now += 100);
    }
    assertThat(detector.phi(now + 1000)).isGreaterThan(8);
    for (int i = 0; i < 50; i++) {
      detector.heartbeat(now += 1000);
    }
    assertThat(detector.phi(now + 1000)).isCloseTo(-Math.log10(0.5), within(0.01));
  }

  @Test
  void anAcceptablePauseDelaysSuspicion() {
    PhiAccrualDetector strict = new PhiAccrualDetector(100, 100, 10, 0);
    PhiAccrualDetector lenient = new PhiAccrualDetector(100, 100, 10, 500);
    long now = 0;
    for (int i = 0; i < 100; i++) {
      now += 100;
      strict.heartbeat(now);
      lenient.heartbeat(now);
    }
    assertThat(strict.phi(now + 400)).isGreaterThan(8);
    assertThat(lenient.phi(now + 400)).isLessThan(0.01);
  }

  @Test
  void aReorderedOlderHeartbeatChangesNothing() {
    PhiAccrualDetector detector = new PhiAccrualDetector(100, 100, 10, 0);
    detector.heartbeat(1_000);
    detector.heartbeat(1_100);
    double before = detector.phi(1_250);
    detector.heartbeat(1_050);
    assertThat(detector.phi(1_250)).isEqualTo(before);
    assertThat(detector.lastHeartbeatMillis()).isEqualTo(1_100);
  }
}
