package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.CertificatePem;
import dev.chil.audit.chain.LeafRules;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Invalid;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.Credentials;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md, "Certificates": what "chains to the CA" asks of a roster or admin certificate
 * beyond PKIX: a leaf (not a CA) with keyUsage digitalSignature and neither keyCertSign nor
 * cRLSign, clientAuth when it has an extendedKeyUsage, one of the named CA signature algorithms,
 * and a CA that was valid at the instant checked. Each broken rule is named; the dev PKI's own
 * certificates pass (every other test's log is made of them).
 */
class CaChainingTest {
  private static TestCluster cluster;

  @TempDir Path directory;
  private Path file;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  @BeforeEach
  void writeLog() throws Exception {
    file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-1").signer(), new AuditLog.Options(4))) {
      log.append(cluster.slots(1, 2, 2));
    }
  }

  private VerificationResult withNode2(Consumer<OddCertificates.Leaf> odd) throws Exception {
    OddCertificates.Leaf leaf = new OddCertificates.Leaf("spiffe://prod/node/node-2", cluster.notBefore,
        cluster.notAfter);
    odd.accept(leaf);
    X509Certificate certificate = OddCertificates.issue(cluster.authority, leaf);
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = 'node-2'",
          CertificatePem.encode(certificate.getEncoded()));
    }
    return AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
  }

  private static void assertRejected(VerificationResult result, Problem problem, String words) {
    assertThat(result).isInstanceOfSatisfying(Invalid.class, invalid -> {
      assertThat(invalid.problem()).as(invalid.message()).isEqualTo(problem);
      assertThat(invalid.index()).isZero();
      assertThat(invalid.reason()).contains(words);
    });
  }

  @Test
  void aRosterCertificateThatIsACaIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.ca = true), Problem.ROSTER_CERTIFICATE_REJECTED,
        "is a CA certificate (basicConstraints CA=true), not a leaf");
  }

  @Test
  void aRosterCertificateWithoutKeyUsageIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.keyUsage = null), Problem.ROSTER_CERTIFICATE_REJECTED,
        "has no keyUsage digitalSignature");
  }

  @Test
  void aRosterCertificateWhoseKeyUsageLacksDigitalSignatureIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.keyUsage = KeyUsage.keyAgreement), Problem.ROSTER_CERTIFICATE_REJECTED,
        "keyUsage lacks digitalSignature");
  }

  @Test
  void aRosterCertificateThatMaySignCertificatesIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.keyUsage = KeyUsage.digitalSignature | KeyUsage.keyCertSign),
        Problem.ROSTER_CERTIFICATE_REJECTED, "allows signing certificates or CRLs");
  }

  @Test
  void aRosterCertificateForServersOnlyIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.purposes = new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}),
        Problem.ROSTER_CERTIFICATE_REJECTED, "extendedKeyUsage lacks clientAuth");
  }

  @Test
  void aRosterCertificateWithoutExtendedKeyUsagePassesTheRules() throws Exception {
    // Past step 1.5: the replaced certificate is only caught by the genesis hash (1.6).
    assertRejected(withNode2(leaf -> leaf.purposes = null), Problem.GENESIS_CHANGED, "do not hash");
  }

  @Test
  void aRosterCertificateFromBeforeTheCaWasValidIsRejected() throws Exception {
    assertRejected(withNode2(leaf -> leaf.notBefore = cluster.notBefore.minus(Duration.ofDays(10))),
        Problem.ROSTER_CERTIFICATE_REJECTED, "when the CA certificate");
  }

  @Test
  void anAdminCertificateForServersOnlyDoesNotAuthorize() throws Exception {
    OddCertificates.Leaf leaf = new OddCertificates.Leaf("spiffe://prod/admin/root", cluster.notBefore,
        cluster.notAfter);
    leaf.purposes = new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth};
    OddCertificates.Issued issued = OddCertificates.issueWithKey(cluster.authority, leaf);
    SignedRoster signed = SignedRoster.sign(cluster.genesis, Credentials.of(issued.certificate(), issued.privateKey()));
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE genesis SET admin_certificate_pem = ?, admin_signature = ?",
          CertificatePem.encode(signed.adminCertificateDer()), signed.signature());
    }
    assertRejected(AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full()),
        Problem.ROSTER_NOT_AUTHORIZED, "extendedKeyUsage lacks clientAuth");
  }

  @Test
  void theCaMaySignWithTheNamedAlgorithmsOnly() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair caKeys = ec.generateKeyPair();
    X509Certificate ca = OddCertificates.selfSignedCa(caKeys, "SHA256withECDSA", cluster.notBefore, cluster.notAfter);
    KeyPair leafKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    for (String allowed : new String[] {"SHA256withECDSA", "SHA384withECDSA"}) {
      X509Certificate leaf = OddCertificates.leafOf(ca, caKeys.getPrivate(), allowed, leafKeys.getPublic(),
          "spiffe://prod/node/node-2", cluster.notBefore, cluster.notAfter);
      assertThatCode(() -> LeafRules.check(leaf, ca, cluster.notBefore)).as(allowed).doesNotThrowAnyException();
    }
    X509Certificate sha1 = OddCertificates.leafOf(ca, caKeys.getPrivate(), "SHA1withECDSA", leafKeys.getPublic(),
        "spiffe://prod/node/node-2", cluster.notBefore, cluster.notAfter);
    assertThatThrownBy(() -> LeafRules.check(sha1, ca, cluster.notBefore))
        .isInstanceOf(CertificateRejectedException.class).hasMessageContaining("is signed with SHA1withECDSA");
  }

  @Test
  void aCaWhoseKeyUsageLacksKeyCertSignMayNotIssue() throws Exception {
    KeyPair caKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    X509Certificate ca = OddCertificates.selfSignedCa(caKeys, "Ed25519", cluster.notBefore, cluster.notAfter,
        KeyUsage.cRLSign);
    X509Certificate leaf = OddCertificates.leafOf(ca, caKeys.getPrivate(), "Ed25519",
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic(), "spiffe://prod/node/node-2",
        cluster.notBefore, cluster.notAfter);
    assertThatThrownBy(() -> LeafRules.check(leaf, ca, cluster.notBefore))
        .isInstanceOf(CertificateRejectedException.class).hasMessageContaining("without keyCertSign");
  }

  @Test
  void theDevPkisCertificatesMeetEveryRule() throws Exception {
    for (Credentials node : cluster.nodes.values()) {
      assertThatCode(() -> LeafRules.check(node.certificate(), cluster.authority.certificate(), cluster.notBefore))
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> LeafRules.check(cluster.admin.certificate(), cluster.authority.certificate(),
        cluster.notBefore)).doesNotThrowAnyException();
  }
}
