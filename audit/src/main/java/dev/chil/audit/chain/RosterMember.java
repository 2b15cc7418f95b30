package dev.chil.audit.chain;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * One voting node of the genesis roster: its name (the {@code <name>} of
 * {@code spiffe://<cluster>/node/<name>}), its certificate, whose key checks its votes and signed
 * heads, and its vote weight.
 */
public record RosterMember(String node, X509Certificate certificate, long weight) {
  public RosterMember {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(certificate, "certificate");
    if (node.isEmpty() || Canonical.utf8(node).length > 0xFFFF) {
      throw new IllegalArgumentException("roster node name must be 1-65535 UTF-8 bytes");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight of " + node + " must be at least 1, not " + weight);
    }
  }

  /** The certificate's DER bytes: what the genesis hash covers (PEM is only its storage form). */
  public byte[] certificateDer() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate of " + node + " cannot be encoded", e);
    }
  }
}
