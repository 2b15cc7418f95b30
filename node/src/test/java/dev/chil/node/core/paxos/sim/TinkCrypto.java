package dev.chil.node.core.paxos.sim;

import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.crypto.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Real Ed25519 through Tink, with certificates from a throwaway CA. Ed25519 signatures are
 * deterministic, so a simulation with them still replays exactly; they are just slower.
 */
final class TinkCrypto implements SimCrypto {
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(3650));

  private final TreeMap<String, Signer> signers = new TreeMap<>();
  private final Verifier verifier;

  TinkCrypto(String cluster, List<String> nodes, long seed) {
    try {
      CertificateAuthority authority = CertificateAuthority.create("sim-ca", NOT_BEFORE, NOT_AFTER);
      List<X509Certificate> certificates = new ArrayList<>();
      for (String node : nodes) {
        Credentials credentials = authority.issue(Identity.node(cluster, node), NOT_BEFORE, NOT_AFTER);
        signers.put(node, credentials.signer());
        certificates.add(credentials.certificate());
      }
      verifier = TinkVerifier.forCertificates(cluster, certificates);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("test PKI failed", e);
    }
  }

  @Override
  public Signer signer(String node) {
    return signers.get(node);
  }

  @Override
  public Verifier verifier() {
    return verifier;
  }
}
