package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificatePem;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Invalid;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewritten histories of issue 9, each of which an earlier verifier accepted: an attacker
 * with write access to the file (triggers dropped, signed heads deleted, every hash recomputed),
 * or an insider with one node's key. The genesis is authorized from outside the file, by an
 * admin of the CA, so each is found; each at the index and with the problem FORMAT.md names.
 *
 * <p>The log: slots 1-4 holding 2, 3, 0 and 2 commands (entries 1-7), votes by node-1 and node-2
 * of a 3-node paxos roster of weight 1 each, signed heads every 4 entries and on close.
 */
class TrustRootTest {
  private static TestCluster cluster;

  @TempDir Path directory;
  private Path file;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  @BeforeEach
  void writeLog() throws Exception {
    file = log("audit.db", "node-1");
  }

  private Path log(String name, String owner) throws Exception {
    Path log = directory.resolve(name);
    try (AuditLog audit = AuditLog.create(log, cluster.signed, cluster.node(owner).signer(), new AuditLog.Options(4))) {
      int[] sizes = {2, 3, 0, 2};
      for (int slot = 1; slot <= sizes.length; slot++) {
        audit.append(cluster.decide(slot, TestCluster.commands(slot, sizes[slot - 1])));
      }
    }
    return log;
  }

  private VerificationResult verify(AuditVerifier.Options options) {
    return AuditVerifier.verify(file, cluster.authority.certificate(), options);
  }

  private void assertInvalid(long index, Problem problem, String... words) {
    assertInvalid(verify(AuditVerifier.Options.full()), index, problem, words);
  }

  private static void assertInvalid(VerificationResult result, long index, Problem problem, String... words) {
    assertThat(result).isInstanceOf(Invalid.class);
    Invalid invalid = (Invalid) result;
    assertThat(invalid.problem()).as(invalid.message()).isEqualTo(problem);
    assertThat(invalid.index()).as(invalid.message()).isEqualTo(index);
    for (String word : words) {
      assertThat(invalid.reason()).containsIgnoringCase(word);
    }
  }

  @Test
  void theLogVerifiesAndNamesItsGenesisAndAdmin() {
    VerificationResult result = verify(AuditVerifier.Options.full());
    assertThat(result).isInstanceOf(VerificationResult.Valid.class);
    assertThat(result.message()).contains("signed by spiffe://prod/admin/root");
    assertThat(((VerificationResult.Valid) result).genesisHash()).isEqualTo(cluster.genesis.hash());
  }

  @Test
  void cuttingTheFirstSlotAndRebuildingTheGenesisIsNotAuthorized() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM signed_heads", "DELETE FROM entries WHERE slot = 1", "DELETE FROM votes WHERE slot = 1",
          "DELETE FROM slots WHERE slot = 1", "DELETE FROM local_slot_facts WHERE slot = 1",
          "UPDATE slots SET first_index = first_index - 2", "UPDATE genesis SET first_slot = 2");
      tamper.renumber(3, -2).rehashGenesis();
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "admin signature", "does not verify");
  }

  @Test
  void droppingANodeFromTheRosterIsNotAuthorized() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM signed_heads", "DELETE FROM roster WHERE node = 'node-3'").rehashGenesis();
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "admin signature");
  }

  @Test
  void aHeavierNodeAloneAsQuorumIsNotAuthorized() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM signed_heads", "UPDATE roster SET weight = 3 WHERE node = 'node-1'",
          "DELETE FROM votes WHERE signer = 'node-2'").rehashGenesis();
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "admin signature");
  }

  @Test
  void paxosRelabelledAsPbftWithThreeNodesIsUnsound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM signed_heads",
          "UPDATE genesis SET protocol = 'pbft', quorum_rule = '2f+1-of-3f+1'").rehashGenesis();
    }
    assertInvalid(0, Problem.QUORUM_RULE_UNSOUND, "3f+1", "3 nodes");
  }

  @Test
  void aZeroWeightInTheGenesisIsUnsound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET weight = 0 WHERE node = 'node-3'");
    }
    assertInvalid(0, Problem.QUORUM_RULE_UNSOUND, "weight of node-3 is 0");
  }

  @Test
  void anInsiderWithOneNodeKeyCannotAuthorizeAWholeFakeLog() throws Exception {
    Credentials insider = cluster.node("node-1");
    Genesis alone = new Genesis("prod", cluster.genesis.protocol(), 1,
        cluster.genesis.roster().stream().filter(member -> member.node().equals("node-1")).toList());
    SignedRoster selfSigned = new SignedRoster(alone, insider.certificate(),
        ByteString.copyFrom(insider.signer().sign(SignedRoster.MESSAGE_TYPE, alone.canonicalBytes())));
    file = directory.resolve("fake.db");
    try (AuditLog fake = AuditLog.create(file, selfSigned, insider.signer(), AuditLog.Options.defaults())) {
      fake.append(cluster.decide(1, TestCluster.commands(1, 2), 1));
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "spiffe://prod/node/node-1", "not an admin");
  }

  @Test
  void anAdminOfAnotherCaDoesNotAuthorize() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other CA", cluster.notBefore, cluster.notAfter);
    Credentials stranger = other.issue(Identity.admin("prod", "root"), cluster.notBefore, cluster.notAfter);
    file = directory.resolve("stranger.db");
    AuditLog.create(file, SignedRoster.sign(cluster.genesis, stranger), cluster.node("node-1").signer(),
        AuditLog.Options.defaults()).close();
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "admin certificate is rejected", "does not chain");
  }

  @Test
  void aMissingAdminSignatureIsNotAuthorized() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE genesis SET admin_signature = X''");
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "does not verify");
  }

  @Test
  void anAdminSignatureStoredAsTextIsAMalformedGenesis() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE genesis SET admin_signature = 'abc'");
    }
    assertInvalid(0, Problem.GENESIS_CHANGED, "admin_signature", "wrong type");
  }

  @Test
  void aHeadCopiedFromAnotherNodesLogIsForeign() throws Exception {
    Path other = log("node-2.db", "node-2");
    ByteString hash;
    ByteString signature;
    try (Tamper theirs = new Tamper(other)) {
      hash = theirs.blob("SELECT hash FROM signed_heads WHERE entry_index = 5");
      signature = theirs.blob("SELECT signature FROM signed_heads WHERE entry_index = 5");
    }
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE signed_heads SET hash = ?, signer = 'node-2', signature = ? WHERE entry_index = 5",
          hash, signature);
    }
    assertInvalid(5, Problem.SIGNED_HEAD_FOREIGN, "signed by node-2", "node-1's");
  }

  @Test
  void aRosterCertificateWithTextBeforeItIsRejected() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET certificate_pem = 'hello' || char(10) || certificate_pem WHERE node = 'node-2'");
    }
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "node-2", "not exactly one PEM CERTIFICATE block");
  }

  @Test
  void aRosterCertificateWithTwoBlocksIsRejected() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET certificate_pem = certificate_pem || certificate_pem WHERE node = 'node-2'");
    }
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "node-2", "PEM block");
  }

  @Test
  void aRosterCertificateWithOtherLineEndsIsRejected() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE roster SET certificate_pem = replace(certificate_pem, char(10), char(13) || char(10))"
          + " WHERE node = 'node-2'");
    }
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "node-2");
  }

  @Test
  void aRosterCertificateInLinesOf76IsRejected() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = 'node-2'",
          GoldenVectors.wrappedAt76(cluster.node("node-2").certificate().getEncoded()));
    }
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "node-2", "canonical PEM form");
  }

  @Test
  void anAdminCertificateWithTextAfterItIsNotAuthorized() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE genesis SET admin_certificate_pem = admin_certificate_pem || 'trailer'");
    }
    assertInvalid(0, Problem.ROSTER_NOT_AUTHORIZED, "admin certificate", "PEM");
  }

  @Test
  void aVoteForASlotPastTheEndIsMisplaced() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("INSERT INTO votes (slot, position, signer, signature) VALUES (99, 0, 'node-1', X'00')");
    }
    assertInvalid(8, Problem.VOTE_MISPLACED, "slot 99");
  }

  @Test
  void aVoteForASlotBeforeTheFirstIsMisplaced() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("INSERT INTO votes (slot, position, signer, signature) VALUES (0, 0, 'node-1', X'00')");
    }
    assertInvalid(0, Problem.VOTE_MISPLACED, "slot 0");
  }

  @Test
  void aVoteWhoseSlotIsNotAnIntegerIsMisplaced() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("INSERT INTO votes (slot, position, signer, signature) VALUES ('two', 0, 'node-1', X'00')");
    }
    assertInvalid(0, Problem.VOTE_MISPLACED, "'two' (text)");
  }

  @Test
  void aGapInVotePositionsIsMisplaced() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE votes SET position = 5 WHERE slot = 2 AND position = 1");
    }
    assertInvalid(3, Problem.VOTE_MISPLACED, "slot 2", "position 1");
  }

  @Test
  void aVotePositionStoredAsTextIsMisplaced() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE votes SET position = 'one' WHERE slot = 4 AND position = 1");
    }
    assertInvalid(6, Problem.VOTE_MISPLACED, "slot 4");
  }

  @Test
  void aPinnedGenesisMustMatch() {
    ByteString other = ByteString.copyFrom(new byte[32]);
    assertInvalid(verify(AuditVerifier.Options.full().pinning(other)), 0, Problem.GENESIS_NOT_PINNED,
        "not the pinned 0000");
    assertThat(verify(AuditVerifier.Options.full().pinning(cluster.genesis.hash())))
        .isInstanceOf(VerificationResult.Valid.class);
  }

  @Test
  void theCanonicalPemIsWhatTheLogStores() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      assertThat(tamper.text("SELECT certificate_pem FROM roster WHERE node = 'node-1'"))
          .isEqualTo(CertificatePem.encode(cluster.node("node-1").certificate().getEncoded()));
    }
  }

  @Test
  void compareReportsDifferentGenesesFirst() throws Exception {
    TestCluster otherCluster = TestCluster.paxos(3);
    Path other = directory.resolve("other.db");
    try (AuditLog audit = AuditLog.create(other, otherCluster.signed, otherCluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      audit.append(otherCluster.decide(1, TestCluster.commands(1, 2)));
    }
    AuditComparison.Result comparison = AuditComparison.compare(java.util.List.of(file, other));
    assertThat(comparison.forked()).isTrue();
    assertThat(comparison.disagreement().index()).isZero();
    assertThat(comparison.lines()).anySatisfy(line ->
        assertThat(line).startsWith("FORK at index 0: different genesis (cluster or roster): "));
  }
}
