package dev.chil.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.node.core.common.Decision;
import org.junit.jupiter.api.Test;

class CommonCodecTest {

  @Test
  void decisionsAndCertificatesRoundTrip() {
    PaxosSamples samples = new PaxosSamples(17);
    for (long slot : new long[] {0, 1, 99, Long.MAX_VALUE}) {
      Decision decision = samples.decision(slot);
      assertThat(CommonCodec.fromProto(CommonCodec.toProto(decision))).isEqualTo(decision);
      QuorumCertificate certificate = samples.certificate(slot);
      assertThat(CommonCodec.fromProto(CommonCodec.toProto(certificate))).isEqualTo(certificate);
    }
  }

  @Test
  void refusesADecisionWhoseCertificateIsForAnotherSlot() {
    dev.chil.proto.v1.Decision proto = CommonCodec.toProto(new PaxosSamples(3).decision(4)).toBuilder().setSlot(5).build();
    assertThatThrownBy(() -> CommonCodec.fromProto(proto))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate is for slot 4, not 5");
  }

  @Test
  void refusesADecisionWithoutCertificate() {
    dev.chil.proto.v1.Decision proto = dev.chil.proto.v1.Decision.newBuilder().setSlot(1).build();
    assertThatThrownBy(() -> CommonCodec.fromProto(proto))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a certificate");
  }
}
