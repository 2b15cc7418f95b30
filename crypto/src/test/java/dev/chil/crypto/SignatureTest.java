package dev.chil.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureTest {
  private static final String TYPE = "paxos.Accepted";
  private static final byte[] PAYLOAD = "slot 7: digest 3f9a".getBytes(StandardCharsets.UTF_8);

  private static Credentials node1;
  private static Credentials node2;
  private static Credentials stagingNode1;
  private static Verifier verifier;

  @BeforeAll
  static void makeKeys() throws Exception {
    CertificateAuthority authority = TestCertificates.authority("test CA");
    node1 = TestCertificates.credentials(authority, Identity.node("prod", "node-1"));
    node2 = TestCertificates.credentials(authority, Identity.node("prod", "node-2"));
    stagingNode1 = TestCertificates.credentials(authority, Identity.node("staging", "node-1"));
    verifier = TinkVerifier.forCertificates("prod", List.of(node1.certificate(), node2.certificate()));
  }

  @Test
  void aSignatureVerifies() {
    byte[] signature = node1.signer().sign(TYPE, PAYLOAD);
    assertThatCode(() -> verifier.verify(node1.identity(), TYPE, PAYLOAD, signature)).doesNotThrowAnyException();
  }

  @Test
  void everyFlippedBitOfThePayloadFails() {
    byte[] signature = node1.signer().sign(TYPE, PAYLOAD);
    for (int bit = 0; bit < PAYLOAD.length * 8; bit++) {
      byte[] tampered = flip(PAYLOAD, bit);
      assertThatThrownBy(() -> verifier.verify(node1.identity(), TYPE, tampered, signature))
          .isInstanceOf(SignatureVerificationException.class);
    }
  }

  @Test
  void aFlippedBitOfTheSignatureFails() {
    byte[] signature = node1.signer().sign(TYPE, PAYLOAD);
    Random random = new Random(20261124L);
    for (int i = 0; i < 64; i++) {
      byte[] tampered = flip(signature, random.nextInt(signature.length * 8));
      assertThatThrownBy(() -> verifier.verify(node1.identity(), TYPE, PAYLOAD, tampered))
          .isInstanceOf(SignatureVerificationException.class)
          .hasMessageContaining("does not verify");
    }
  }

  @Test
  void anotherNodesSignatureDoesNotVerifyAsNode1s() {
    byte[] signature = node2.signer().sign(TYPE, PAYLOAD);
    assertThatThrownBy(() -> verifier.verify(node1.identity(), TYPE, PAYLOAD, signature))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void aSignatureForOneMessageTypeFailsUnderAnother() {
    byte[] signature = node1.signer().sign(TYPE, PAYLOAD);
    assertThatThrownBy(() -> verifier.verify(node1.identity(), "pbft.Commit", PAYLOAD, signature))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void aSignatureMadeForAnotherClusterFails() throws Exception {
    // Same node name, same CA, but signed as a member of cluster "staging".
    Verifier stagingAware = TinkVerifier.forCertificates("prod", List.of(node1.certificate()));
    byte[] signature = stagingNode1.signer().sign(TYPE, PAYLOAD);
    assertThatThrownBy(() -> stagingAware.verify(node1.identity(), TYPE, PAYLOAD, signature))
        .isInstanceOf(SignatureVerificationException.class);
    // and the bytes differ only in the cluster: the verifier of "staging" accepts it.
    Verifier staging = TinkVerifier.forCertificates("staging", List.of(stagingNode1.certificate()));
    assertThatCode(() -> staging.verify(stagingNode1.identity(), TYPE, PAYLOAD, signature)).doesNotThrowAnyException();
  }

  @Test
  void theDomainTagIsPartOfWhatIsSigned() {
    byte[] signed = SignedBytes.of("prod", TYPE, PAYLOAD);
    assertThat(new String(signed, 0, SignedBytes.DOMAIN_TAG.length, StandardCharsets.US_ASCII))
        .isEqualTo("chil-consensus/signature/v1");
    // Shifting a byte between cluster and type must change the bytes (length prefixes).
    assertThat(SignedBytes.of("prod", "ab", PAYLOAD)).isNotEqualTo(SignedBytes.of("prod.a", "b", PAYLOAD));
  }

  @Test
  void anUnknownSignerIsRefused() {
    byte[] signature = node1.signer().sign(TYPE, PAYLOAD);
    assertThatThrownBy(() -> verifier.verify(Identity.node("prod", "node-9"), TYPE, PAYLOAD, signature))
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("unknown signer spiffe://prod/node/node-9");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertThatThrownBy(() -> Credentials.of(node1.certificate(), node2.privateKey()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void aVerifierRefusesCertificatesOfAnotherCluster() {
    assertThatThrownBy(() -> TinkVerifier.forCertificates("prod", List.of(stagingNode1.certificate())))
        .hasMessageContaining("is not of cluster 'prod'");
  }

  @Test
  void credentialsNeverPrintTheirKey() {
    assertThat(node1.toString()).contains("<redacted>").doesNotContain("PRIVATE");
  }

  private static byte[] flip(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }
}
