package dev.chil.crypto;

import dev.chil.crypto.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;

/** A fixed clock instant and certificate windows around it, for the crypto tests. */
final class TestCertificates {
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
  static final Instant IN_A_YEAR = NOW.plus(Duration.ofDays(365));

  private TestCertificates() {}

  static CertificateAuthority authority(String name) throws GeneralSecurityException {
    return CertificateAuthority.create(name, YEAR_AGO, IN_A_YEAR.plus(Duration.ofDays(365)));
  }

  static Credentials credentials(CertificateAuthority authority, Identity identity)
      throws GeneralSecurityException {
    return authority.issue(identity, YEAR_AGO, IN_A_YEAR);
  }
}
