package dev.chil.audit.chain;

import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.TinkVerifier;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The rule for a genesis's member certificates, shared by the offline verifier and a starting
 * node, so that a node never runs on a roster whose log no verifier would accept: each certificate
 * chains to the CA, is a leaf by {@link LeafRules}, names {@code spiffe://<cluster>/node/<name>}
 * for its roster name, and holds an Ed25519 key. Checked at the certificate's own notBefore, not
 * now: an old log must still verify after its certificates expired.
 */
public final class RosterCertificates {
  private RosterCertificates() {}

  /** @throws RosterRejectedException naming {@link Problem#ROSTER_CERTIFICATE_REJECTED} and the member */
  public static void check(Genesis genesis, X509Certificate caCertificate) throws RosterRejectedException {
    ClusterTrust trust = new ClusterTrust(genesis.cluster(), caCertificate);
    for (RosterMember member : genesis.roster()) {
      X509Certificate certificate = member.certificate();
      Identity identity;
      try {
        identity = trust.verify(List.of(certificate), certificate.getNotBefore().toInstant());
        LeafRules.check(certificate, caCertificate, certificate.getNotBefore().toInstant());
      } catch (CertificateRejectedException e) {
        throw rejected("the roster certificate of " + member.node() + " is rejected: " + e.getMessage());
      }
      Identity expected = Identity.node(genesis.cluster(), member.node());
      if (!identity.equals(expected)) {
        throw rejected("the roster certificate of " + member.node() + " names " + identity + ", not " + expected);
      }
      try {
        TinkVerifier.forCertificates(genesis.cluster(), List.of(certificate));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw rejected("the roster certificate of " + member.node() + " holds no usable Ed25519 key: " + e.getMessage());
      }
    }
  }

  private static RosterRejectedException rejected(String message) {
    return new RosterRejectedException(Problem.ROSTER_CERTIFICATE_REJECTED, message);
  }
}
