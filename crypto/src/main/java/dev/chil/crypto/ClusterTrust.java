package dev.chil.crypto;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one trust root of a cluster: its CA certificate and its name. A certificate is accepted
 * when it chains to that CA, is within its validity at the time asked about, and names exactly
 * one SPIFFE identity of this cluster. Everything else is refused with the reason.
 */
public final class ClusterTrust {
  private final String cluster;
  private final X509Certificate caCertificate;
  private final TrustAnchor anchor;

  public ClusterTrust(String cluster, X509Certificate caCertificate) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.caCertificate = Objects.requireNonNull(caCertificate, "caCertificate");
    if (caCertificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "certificate '" + CertificateIdentity.subject(caCertificate) + "' is not a CA certificate");
    }
    this.anchor = new TrustAnchor(caCertificate, null);
  }

  /**
   * Reads the CA certificate from a PEM file that holds exactly one certificate.
   *
   * @throws CryptoFileException naming the file and what is wrong with it
   */
  public static ClusterTrust load(String cluster, Path caFile) throws CryptoFileException {
    List<X509Certificate> certificates = PemFiles.readCertificates(caFile);
    if (certificates.size() != 1) {
      throw new CryptoFileException(caFile,
          "holds " + certificates.size() + " certificates; expected exactly the cluster CA");
    }
    try {
      return new ClusterTrust(cluster, certificates.get(0));
    } catch (IllegalArgumentException e) {
      throw new CryptoFileException(caFile, e.getMessage());
    }
  }

  public String cluster() {
    return cluster;
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * Checks a certificate chain (leaf first; the CA itself may be included or not) at the given
   * time and returns the identity it proves.
   *
   * @throws CertificateRejectedException with the reason when the chain is not accepted
   */
  public Identity verify(List<X509Certificate> chain, Instant at)
      throws CertificateRejectedException {
    if (chain == null || chain.isEmpty()) {
      throw new CertificateRejectedException("no certificate was presented");
    }
    X509Certificate leaf = chain.get(0);
    String subject = CertificateIdentity.subject(leaf);
    try {
      leaf.checkValidity(Date.from(at));
    } catch (CertificateExpiredException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject + "' expired at " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject + "' is not valid before " + leaf.getNotBefore().toInstant());
    }
    validatePath(chain, at, subject);
    Identity identity = CertificateIdentity.of(leaf);
    if (!identity.cluster().equals(cluster)) {
      throw new CertificateRejectedException(
          "certificate '" + subject + "' names " + identity + ", which is of cluster '"
              + identity.cluster() + "', not '" + cluster + "'");
    }
    return identity;
  }

  /** Checks that the chain leads to the cluster CA, whose key signed it. */
  private void validatePath(List<X509Certificate> chain, Instant at, String subject)
      throws CertificateRejectedException {
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      if (!certificate.equals(caCertificate)) {
        path.add(certificate);
      }
    }
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      // Development and cluster CAs publish no CRL or OCSP; revocation is by re-issuing the roster.
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject + "' does not chain to the cluster CA '"
              + CertificateIdentity.subject(caCertificate) + "': " + e.getMessage(), e);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("PKIX parameters rejected a single trust anchor", e);
    } catch (GeneralSecurityException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject + "' could not be checked: " + e.getMessage(), e);
    }
  }
}
