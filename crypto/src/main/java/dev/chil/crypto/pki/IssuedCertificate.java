package dev.chil.crypto.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate fresh from a {@link CertificateAuthority}, with its private key. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal() + ", key=<redacted>]";
  }
}
