package dev.chil.crypto;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads the one SPIFFE identity out of a certificate's subject alternative names. */
public final class CertificateIdentity {
  // GeneralName tag for uniformResourceIdentifier (RFC 5280, 4.2.1.6).
  private static final int URI_NAME = 6;

  private CertificateIdentity() {}

  /**
   * The identity named by the certificate's single URI SAN, which must be a {@code spiffe://} id
   * (as X.509-SVIDs require: exactly one URI SAN; DNS and IP SANs may sit beside it).
   *
   * @throws CertificateRejectedException when there is none, more than one, or it is malformed
   */
  public static Identity of(X509Certificate certificate) throws CertificateRejectedException {
    List<String> uris = uris(certificate);
    if (uris.size() > 1) {
      throw new CertificateRejectedException("certificate '" + subject(certificate) + "' has " + uris.size()
          + " URI SANs " + uris + "; exactly one, its spiffe:// id, is allowed");
    }
    List<String> spiffeIds = uris.stream()
        .filter(uri -> uri.regionMatches(true, 0, Identity.SCHEME, 0, Identity.SCHEME.length()))
        .toList();
    if (spiffeIds.isEmpty()) {
      throw new CertificateRejectedException(
          "certificate '" + subject(certificate) + "' has no spiffe:// URI SAN");
    }
    if (spiffeIds.size() > 1) {
      throw new CertificateRejectedException(
          "certificate '" + subject(certificate) + "' has " + spiffeIds.size()
              + " spiffe:// URI SANs " + spiffeIds + "; exactly one is allowed");
    }
    try {
      return Identity.parse(spiffeIds.get(0));
    } catch (IllegalArgumentException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject(certificate) + "': " + e.getMessage(), e);
    }
  }

  private static List<String> uris(X509Certificate certificate)
      throws CertificateRejectedException {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateRejectedException(
          "certificate '" + subject(certificate) + "' has an unreadable SAN extension", e);
    }
    List<String> uris = new ArrayList<>();
    if (names == null) {
      return uris;
    }
    for (List<?> name : names) {
      if (((Integer) name.get(0)) == URI_NAME && name.get(1) instanceof String uri) {
        uris.add(uri);
      }
    }
    return uris;
  }

  static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }
}
