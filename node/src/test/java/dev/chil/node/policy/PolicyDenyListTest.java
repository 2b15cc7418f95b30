package dev.chil.node.policy;

import static dev.chil.node.policy.PolicySamples.MINIMAL;
import static dev.chil.node.policy.PolicySamples.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PolicyDenyListTest {
  private static X509Certificate alice;
  private static X509Certificate bob;

  @BeforeAll
  static void issue() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority authority = CertificateAuthority.create("test CA", now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(1)));
    alice = authority.issue(Identity.client("test", "alice"), now, now.plus(Duration.ofDays(1))).certificate();
    bob = authority.issue(Identity.client("test", "bob"), now, now.plus(Duration.ofDays(1))).certificate();
  }

  /** As openssl prints it: upper case, colons between bytes. */
  private static String opensslStyle(byte[] bytes) {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
  }

  @Test
  void aSerialAsOpensslPrintsItDeniesThatCertificateOnly() throws Exception {
    String serial = alice.getSerialNumber().toString(16).toUpperCase();
    DenyList deny = parse(MINIMAL + "deny:\n  serials: [\"" + serial + "\"]\n").deny();

    assertThat(deny.denial(alice)).hasValueSatisfying(reason -> assertThat(reason)
        .isEqualTo("certificate serial " + alice.getSerialNumber().toString(16) + " is on the policy's deny list"));
    assertThat(deny.denial(bob)).isEmpty();
  }

  @Test
  void aFingerprintAsOpensslPrintsItDeniesThatCertificateOnly() throws Exception {
    String fingerprint = opensslStyle(HexFormat.of().parseHex(DenyList.fingerprint(bob)));
    DenyList deny = parse(MINIMAL + "deny:\n  sha256_fingerprints: [\"" + fingerprint + "\"]\n").deny();

    assertThat(deny.denial(bob)).hasValueSatisfying(reason -> assertThat(reason)
        .contains("SHA-256 fingerprint " + DenyList.fingerprint(bob)));
    assertThat(deny.denial(alice)).isEmpty();
  }

  @Test
  void serialsAreNumbersNotText() {
    assertThat(DenyList.parseSerial("0x00ff")).isEqualTo(DenyList.parseSerial("FF")).isEqualTo(DenyList.parseSerial("f:f"));
  }
}
