package dev.chil.audit.chain;

import dev.chil.crypto.CertificateRejectedException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What FORMAT.md ("Certificates") asks of a roster or admin certificate beyond PKIX path
 * validation, which accepts a CA certificate as an end entity, ignores a leaf's key usage and
 * does not look at the trust anchor's own validity: the leaf is an end entity that may sign
 * (keyUsage digitalSignature, not keyCertSign or cRLSign), it is for TLS clients when it says
 * what it is for (extendedKeyUsage, when present, holds clientAuth), the CA signed it with one
 * of a fixed set of algorithms, and the CA itself may issue certificates (keyCertSign when it
 * has a keyUsage) and was valid at the time it is checked at.
 * The dev PKI's certificates ({@code dev.chil.crypto.pki.CertificateAuthority}) meet all of it.
 */
public final class LeafRules {
  /** The CA signature algorithms a leaf may carry, by OID: RFC 8410, RFC 5758, RFC 4055. */
  public static final Map<String, String> SIGNATURE_ALGORITHMS = Map.of(
      "1.3.101.112", "Ed25519",
      "1.2.840.10045.4.3.2", "ecdsa-with-SHA256",
      "1.2.840.10045.4.3.3", "ecdsa-with-SHA384",
      "1.2.840.10045.4.3.4", "ecdsa-with-SHA512",
      "1.2.840.113549.1.1.11", "sha256WithRSAEncryption",
      "1.2.840.113549.1.1.12", "sha384WithRSAEncryption",
      "1.2.840.113549.1.1.13", "sha512WithRSAEncryption");
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private LeafRules() {}

  /**
   * @param at the instant the leaf is checked at (its own notBefore in a log)
   * @throws CertificateRejectedException naming the rule the certificate breaks
   */
  public static void check(X509Certificate leaf, X509Certificate ca, Instant at) throws CertificateRejectedException {
    String subject = "certificate '" + leaf.getSubjectX500Principal().getName() + "'";
    if (leaf.getBasicConstraints() >= 0) {
      throw new CertificateRejectedException(subject + " is a CA certificate (basicConstraints CA=true), not a leaf");
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage == null || !usage[DIGITAL_SIGNATURE]) {
      throw new CertificateRejectedException(subject + (usage == null ? " has no keyUsage" : "'s keyUsage lacks")
          + " digitalSignature, which signing votes, heads and rosters needs");
    }
    if (usage.length > CRL_SIGN && (usage[KEY_CERT_SIGN] || usage[CRL_SIGN])) {
      throw new CertificateRejectedException(subject + "'s keyUsage allows signing certificates or CRLs: a leaf may not");
    }
    List<String> purposes;
    try {
      purposes = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateRejectedException(subject + " has an unreadable extendedKeyUsage", e);
    }
    if (purposes != null && !purposes.contains(CLIENT_AUTH)) {
      throw new CertificateRejectedException(subject + "'s extendedKeyUsage lacks clientAuth (" + CLIENT_AUTH + ")");
    }
    if (!SIGNATURE_ALGORITHMS.containsKey(leaf.getSigAlgOID())) {
      throw new CertificateRejectedException(subject + " is signed with " + leaf.getSigAlgName() + " ("
          + leaf.getSigAlgOID() + "), not one of " + String.join(", ", SIGNATURE_ALGORITHMS.values().stream().sorted()
          .toList()));
    }
    boolean[] caUsage = ca.getKeyUsage();
    if (caUsage != null && (caUsage.length <= KEY_CERT_SIGN || !caUsage[KEY_CERT_SIGN])) {
      throw new CertificateRejectedException("the CA certificate '" + ca.getSubjectX500Principal().getName()
          + "' has a keyUsage without keyCertSign: it may not issue " + subject);
    }
    try {
      ca.checkValidity(Date.from(at));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new CertificateRejectedException(subject + " is checked at " + at + ", when the CA certificate '"
          + ca.getSubjectX500Principal().getName() + "' was not valid (" + ca.getNotBefore().toInstant() + " to "
          + ca.getNotAfter().toInstant() + ")");
    }
  }
}
