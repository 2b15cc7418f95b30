package dev.chil.node.transport;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.crypto.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory cluster PKI for transport tests: a CA and credentials for named nodes and clients. */
final class TestPki {
  static final String CLUSTER = "prod";
  private static final Instant NOW = Instant.now();

  final CertificateAuthority authority;
  final ClusterTrust trust;
  final Map<String, Credentials> nodes = new TreeMap<>();

  TestPki(String... nodeNames) throws GeneralSecurityException {
    authority = CertificateAuthority.create("prod CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)));
    trust = new ClusterTrust(CLUSTER, authority.certificate());
    for (String name : nodeNames) {
      nodes.put(name, issue(Identity.node(CLUSTER, name)));
    }
  }

  Credentials issue(Identity identity) throws GeneralSecurityException {
    return authority.issue(identity, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
  }

  /** A verifier that knows every node issued so far. */
  Verifier verifier() throws GeneralSecurityException {
    List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
    nodes.values().forEach(credentials -> certificates.add(credentials.certificate()));
    return TinkVerifier.forCertificates(CLUSTER, certificates);
  }
}
