package dev.chil.crypto;

import static dev.chil.crypto.TestCertificates.IN_A_YEAR;
import static dev.chil.crypto.TestCertificates.NOW;
import static dev.chil.crypto.TestCertificates.YEAR_AGO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.crypto.pki.LeafRequest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterTrustTest {
  private static CertificateAuthority authority;
  private static ClusterTrust trust;

  @BeforeAll
  static void makeAuthority() throws Exception {
    authority = TestCertificates.authority("test CA");
    trust = new ClusterTrust("prod", authority.certificate());
  }

  @Test
  void acceptsANodeOfTheCluster() throws Exception {
    X509Certificate leaf = TestCertificates.credentials(authority, Identity.node("prod", "node-1")).certificate();
    assertThat(trust.verify(List.of(leaf), NOW)).isEqualTo(Identity.node("prod", "node-1"));
    assertThat(trust.verify(List.of(leaf, authority.certificate()), NOW)).isEqualTo(Identity.node("prod", "node-1"));
  }

  @Test
  void refusesACertificateOfAnotherAuthority() throws Exception {
    CertificateAuthority other = TestCertificates.authority("test CA"); // same name, other key
    X509Certificate leaf = TestCertificates.credentials(other, Identity.node("prod", "node-1")).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("does not chain to the cluster CA");
  }

  @Test
  void refusesAnExpiredCertificate() throws Exception {
    X509Certificate leaf = authority.issue(LeafRequest.forIdentity(
        Identity.node("prod", "node-1"), YEAR_AGO, NOW.minus(Duration.ofMinutes(1)))).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("expired at");
  }

  @Test
  void refusesACertificateNotYetValid() throws Exception {
    X509Certificate leaf = authority.issue(LeafRequest.forIdentity(
        Identity.node("prod", "node-1"), NOW.plus(Duration.ofHours(2)), IN_A_YEAR)).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("is not valid before");
  }

  @Test
  void refusesACertificateOfAnotherCluster() throws Exception {
    X509Certificate leaf = TestCertificates.credentials(authority, Identity.node("staging", "node-1")).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("of cluster 'staging', not 'prod'");
  }

  @Test
  void refusesACertificateWithoutSpiffeId() throws Exception {
    X509Certificate leaf = authority.issue(new LeafRequest(
        "node-1", List.of(), List.of("localhost"), List.of(), true, YEAR_AGO, IN_A_YEAR)).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("has no spiffe:// URI SAN");
  }

  @Test
  void refusesACertificateWithTwoSpiffeIds() throws Exception {
    X509Certificate leaf = authority.issue(new LeafRequest("node-1",
        List.of("spiffe://prod/node/node-1", "spiffe://prod/node/node-2"),
        List.of(), List.of(), true, YEAR_AGO, IN_A_YEAR)).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("exactly one, its spiffe:// id, is allowed");
  }

  @Test
  void refusesASecondUriSanOfAnotherScheme() throws Exception {
    X509Certificate leaf = authority.issue(new LeafRequest("node-1",
        List.of("spiffe://prod/node/node-1", "https://example.org/node-1"),
        List.of("localhost"), List.of(), true, YEAR_AGO, IN_A_YEAR)).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("has 2 URI SANs");
  }

  @Test
  void refusesAMalformedSpiffeId() throws Exception {
    X509Certificate leaf = authority.issue(new LeafRequest("node-1",
        List.of("spiffe://prod/root/node-1"), List.of(), List.of(), true, YEAR_AGO, IN_A_YEAR)).certificate();
    assertThatThrownBy(() -> trust.verify(List.of(leaf), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("role 'root'");
  }

  @Test
  void refusesAnEmptyChain() {
    assertThatThrownBy(() -> trust.verify(List.of(), NOW))
        .isInstanceOf(CertificateRejectedException.class)
        .hasMessageContaining("no certificate");
  }

  @Test
  void refusesALeafCertificateAsTheClusterCa() throws Exception {
    X509Certificate leaf = TestCertificates.credentials(authority, Identity.node("prod", "node-1")).certificate();
    assertThatThrownBy(() -> new ClusterTrust("prod", leaf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a CA certificate");
  }
}
