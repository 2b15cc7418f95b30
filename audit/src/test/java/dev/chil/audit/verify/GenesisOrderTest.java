package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.CertificatePem;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Invalid;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of the genesis checks (FORMAT.md, step 1), where two problems meet: each case
 * combines a problem of an earlier step with one of a later step, and the earlier one must be
 * named, so that two implementations following the page name the same problem.
 */
class GenesisOrderTest {
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

  private void assertInvalid(Problem problem, String... words) {
    VerificationResult result = AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
    assertThat(result).isInstanceOfSatisfying(Invalid.class, invalid -> {
      assertThat(invalid.problem()).as(invalid.message()).isEqualTo(problem);
      assertThat(invalid.index()).isZero();
      for (String word : words) {
        assertThat(invalid.reason()).containsIgnoringCase(word);
      }
    });
  }

  @Test
  void anInvalidClusterNameIsAMalformedGenesisNotARejectedCertificate() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE genesis SET cluster = 'Prod!'");
    }
    assertInvalid(Problem.GENESIS_CHANGED, "cluster name 'Prod!'");
  }

  @Test
  void anInvalidRosterNameComesBeforeEveryCertificate() throws Exception {
    // node-1 sorts before 'zz!': a check per member in name order would name node-1's PEM first.
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET certificate_pem = 'x' || certificate_pem WHERE node = 'node-1'",
          "UPDATE roster SET node = 'zz!' WHERE node = 'node-3'");
    }
    assertInvalid(Problem.GENESIS_CHANGED, "roster", "'zz!'");
  }

  @Test
  void anOverLongRosterNameIsAMalformedGenesisBeforeEveryCertificate() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET certificate_pem = 'x' || certificate_pem WHERE node = 'node-1'",
          "UPDATE roster SET node = 'node-3' || replace(hex(zeroblob(60)), '00', 'x') WHERE node = 'node-3'");
    }
    assertInvalid(Problem.GENESIS_CHANGED, "roster", "1-63 characters");
  }

  @Test
  void aRosterKeyThatIsNotEd25519IsRejectedBeforeTheGenesisHashAndTheAdmin() throws Exception {
    OddCertificates.Leaf leaf = new OddCertificates.Leaf("spiffe://prod/node/node-2", cluster.notBefore,
        cluster.notAfter);
    leaf.keyAlgorithm = "EC";
    X509Certificate ec = OddCertificates.issue(cluster.authority, leaf);
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = 'node-2'", CertificatePem.encode(ec.getEncoded()));
      tamper.sql("DELETE FROM signed_heads").rehashGenesis(); // the admin's signature no longer fits
    }
    assertInvalid(Problem.ROSTER_CERTIFICATE_REJECTED, "node-2", "Ed25519");
  }

  @Test
  void aCaCertificateThatIsNotACaIsTheCallersErrorNotAVerdict() {
    X509Certificate leaf = cluster.node("node-1").certificate();
    assertThatThrownBy(() -> AuditVerifier.verify(file, leaf, AuditVerifier.Options.full()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a CA certificate");
  }
}
