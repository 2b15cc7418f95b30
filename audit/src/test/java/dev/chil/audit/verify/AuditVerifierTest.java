package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.verify.VerificationResult.Invalid;
import dev.chil.audit.verify.VerificationResult.Valid;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tamper of the issue, each found at the index where it was made with a reason that names it.
 *
 * <p>The log under test, signed heads every 4 entries:
 * <pre>
 *   slot 1: entries 1, 2       slot 4: entries 6, 7
 *   slot 2: entries 3, 4, 5    slot 5: entry 8
 *   slot 3: no-op (no entry)   slot 6: entries 9, 10
 *   signed heads at 5, 8 and 10 (on close)
 * </pre>
 */
class AuditVerifierTest {
  private static TestCluster cluster;

  @TempDir Path directory;
  private Path file;
  private Head head;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  @BeforeEach
  void writeLog() throws Exception {
    file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-1").signer(),
        new AuditLog.Options(4))) {
      int[] sizes = {2, 3, 0, 2, 1, 2};
      for (int slot = 1; slot <= sizes.length; slot++) {
        log.append(cluster.decide(slot, TestCluster.commands(slot, sizes[slot - 1])));
      }
      head = log.head();
    }
  }

  private VerificationResult verify() {
    return AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.full());
  }

  private void assertInvalid(long index, Problem problem, String... words) {
    VerificationResult result = verify();
    assertThat(result).isInstanceOf(Invalid.class);
    Invalid invalid = (Invalid) result;
    assertThat(invalid.problem()).as(invalid.message()).isEqualTo(problem);
    assertThat(invalid.index()).as(invalid.message()).isEqualTo(index);
    assertThat(invalid.exitCode()).isEqualTo(1);
    for (String word : words) {
      assertThat(invalid.reason()).containsIgnoringCase(word);
    }
  }

  @Test
  void anUntouchedLogVerifies() {
    VerificationResult result = verify();
    assertThat(result).isEqualTo(new Valid(10, 6, head, 3, cluster.genesis.hash(), "spiffe://prod/admin/root"));
    assertThat(result.exitCode()).isZero();
    assertThat(result.message()).startsWith("OK: 10 entries in 6 slots, head " + head.hashHex());
  }

  @Test
  void aChangedValueIsFoundAtItsEntry() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE entries SET value = X'00' WHERE entry_index = 4");
    }
    assertInvalid(4, Problem.VALUE_CHANGED, "value of entry 4", "changed");
  }

  @Test
  void aChangedValueWithItsDigestUpdatedBreaksTheHash() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      Command forged = new Command("key-2-1", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app", "r");
      tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 4",
          forged.value(), forged.valueDigest());
    }
    assertInvalid(4, Problem.ENTRY_CHANGED, "entry 4 does not hash to its stored hash");
  }

  @Test
  void aChangedValueWithTheHashColumnRewrittenIsCaughtByTheCertificate() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      Command forged = new Command("key-2-0", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app",
          "request-2-0");
      tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 3",
          forged.value(), forged.valueDigest());
      tamper.rewriteChainFrom(3);
    }
    assertInvalid(3, Problem.CERTIFICATE_DIGEST_MISMATCH, "slot 2", "certificate");
  }

  @Test
  void aRewrittenChainWithARewrittenSlotDigestFailsTheVoteSignatures() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      Command forged = new Command("key-2-0", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app",
          "request-2-0");
      tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 3",
          forged.value(), forged.valueDigest());
      tamper.rewriteChainFrom(3);
      List<Command> slot2 = TestCluster.commands(2, 3);
      tamper.update("UPDATE slots SET digest = ? WHERE slot = 2",
          SlotDigest.of(List.of(forged, slot2.get(1), slot2.get(2))));
    }
    assertInvalid(3, Problem.CERTIFICATE_SIGNATURE_INVALID, "certificate of slot 2", "does not verify");
  }

  /** FORMAT.md, "the limits of an entry's fields": checked before the value, so each wins over it. */
  @Test
  void anEntryFieldOutsideItsLimitsIsAChangedEntryBeforeAChangedValue() throws Exception {
    List<String> outOfLimits = List.of("request_id = ''", "key = ''", "client = ''",
        "key = " + repeated("k", 1025), "request_id = " + repeated("r", 129), "client = " + repeated("c", 65536));
    Path pristine = directory.resolve("pristine.db");
    java.nio.file.Files.copy(file, pristine);
    for (String change : outOfLimits) {
      java.nio.file.Files.copy(pristine, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (Tamper tamper = new Tamper(file)) {
        tamper.sql("UPDATE entries SET " + change + ", value = X'00' WHERE entry_index = 4");
      }
      VerificationResult result = verify();
      assertThat(result).as(change).isInstanceOfSatisfying(Invalid.class, invalid -> {
        assertThat(invalid.problem()).as(change + ": " + invalid.message()).isEqualTo(Problem.ENTRY_CHANGED);
        assertThat(invalid.index()).as(change).isEqualTo(4);
        assertThat(invalid.reason()).as(change).contains("entry 4 is malformed");
      });
    }
  }

  /** FORMAT.md: a TEXT value that is not valid UTF-8 is of the wrong storage class. */
  @Test
  void anEntryTextThatIsNotUtf8IsAChangedEntryBeforeItsValue() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE entries SET key = CAST(X'6b65792dff' AS TEXT), value = X'00' WHERE entry_index = 4");
    }
    assertInvalid(4, Problem.ENTRY_CHANGED, "key (not valid UTF-8)");
  }

  @Test
  void anAdminCertificateTextThatIsNotUtf8IsAMalformedGenesis() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE genesis SET admin_certificate_pem = CAST(CAST(admin_certificate_pem AS BLOB) || X'c0af' AS TEXT)");
    }
    assertInvalid(0, Problem.GENESIS_CHANGED, "admin_certificate_pem (not valid UTF-8)");
  }

  @Test
  void aVoteSignerThatIsNotTextNamesNoRosterNode() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE votes SET signer = CAST(signer AS BLOB) WHERE slot = 5 AND position = 1");
    }
    assertInvalid(8, Problem.SIGNER_NOT_IN_ROSTER, "slot 5");
  }

  @Test
  void entryFieldsAtTheirLimitsVerify() throws Exception {
    Command longest = new Command("k".repeat(Command.KEY_BYTES_MAX), ByteString.copyFromUtf8("v"),
        "spiffe://prod/client/app", "\u00e9".repeat(Command.REQUEST_ID_BYTES_MAX / 2)); // 2 UTF-8 bytes each
    Path limits = directory.resolve("limits.db");
    try (AuditLog log = AuditLog.create(limits, cluster.signed, cluster.node("node-1").signer(),
        AuditLog.Options.defaults())) {
      log.append(cluster.decide(1, List.of(longest)));
    }
    assertThat(AuditVerifier.verify(limits, cluster.authority.certificate(), AuditVerifier.Options.full()))
        .isInstanceOf(Valid.class);
  }

  /** SQL for a text of {@code count} copies of one ASCII character. */
  private static String repeated(String character, int count) {
    return "replace(hex(zeroblob(" + count + ")), '00', '" + character + "')";
  }

  @Test
  void aDeletedEntryIsFoundWhereItWas() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM entries WHERE entry_index = 4");
    }
    assertInvalid(4, Problem.ENTRY_DELETED, "entry 4 is missing", "deleted");
  }

  @Test
  void aDeletedEntryIsFoundWhenTheRestWasRenumbered() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM entries WHERE entry_index = 4").renumber(5, -1);
    }
    assertInvalid(4, Problem.ENTRY_DELETED, "entry 4 was deleted");
  }

  @Test
  void anInsertedEntryIsFoundWhereItWasInserted() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.renumber(4, 1);
      ByteString previous = tamper.blob("SELECT hash FROM entries WHERE entry_index = 3");
      Command forged = new Command("key-x", ByteString.copyFromUtf8("inserted"), "spiffe://prod/client/app", "x");
      tamper.update("INSERT INTO entries VALUES (4, 2, ?, ?, ?, ?, ?, ?, ?)", forged.key(), forged.value(),
          forged.valueDigest(), forged.client(), forged.requestId(), previous,
          ChainHash.entry(previous, 4, 2, forged));
    }
    assertInvalid(4, Problem.ENTRY_INSERTED, "inserted at index 4");
  }

  @Test
  void anInsertedEntryWithoutAValidLinkIsFoundToo() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.renumber(7, 1);
      tamper.sql("INSERT INTO entries SELECT 7, slot, 'key-y', value, value_digest, client, request_id,"
          + " previous_hash, hash FROM entries WHERE entry_index = 2");
    }
    assertInvalid(7, Problem.ENTRY_INSERTED, "inserted at index 7");
  }

  @Test
  void twoSwappedEntriesAreFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE entries SET entry_index = -1 WHERE entry_index = 6",
          "UPDATE entries SET entry_index = 6 WHERE entry_index = 7",
          "UPDATE entries SET entry_index = 7 WHERE entry_index = -1");
    }
    assertInvalid(6, Problem.ENTRIES_SWAPPED, "entries 6 and 7 were swapped");
  }

  @Test
  void twoEntriesWithSwappedContentAreFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("CREATE TEMP TABLE saved AS SELECT * FROM entries WHERE entry_index IN (9, 10)",
          "UPDATE entries SET key = (SELECT key FROM saved WHERE entry_index = 19 - entries.entry_index),"
              + " value = (SELECT value FROM saved WHERE entry_index = 19 - entries.entry_index),"
              + " value_digest = (SELECT value_digest FROM saved WHERE entry_index = 19 - entries.entry_index),"
              + " request_id = (SELECT request_id FROM saved WHERE entry_index = 19 - entries.entry_index)"
              + " WHERE entry_index IN (9, 10)");
    }
    assertInvalid(9, Problem.ENTRIES_SWAPPED, "entries 9 and 10 were swapped");
  }

  @Test
  void aTailCutBelowASignedHeadIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM entries WHERE entry_index >= 8", "DELETE FROM slots WHERE slot >= 5",
          "DELETE FROM votes WHERE slot >= 5");
    }
    assertInvalid(8, Problem.TRUNCATED, "ends at entry 7", "signed a head at entry 8", "cut off");
  }

  @Test
  void aTailCutInsideASlotIsFoundByTheSlot() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM entries WHERE entry_index >= 10");
    }
    assertInvalid(10, Problem.ENTRY_DELETED, "slot 6 has 2 entries");
  }

  @Test
  void anAlteredVoteSignatureIsFoundAtItsSlot() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      ByteString signature = tamper.blob("SELECT signature FROM votes WHERE slot = 4 AND position = 1");
      byte[] flipped = signature.toByteArray();
      flipped[10] ^= 0x01;
      tamper.update("UPDATE votes SET signature = ? WHERE slot = 4 AND position = 1", flipped);
    }
    assertInvalid(6, Problem.CERTIFICATE_SIGNATURE_INVALID, "slot 4", "node-2", "does not verify");
  }

  @Test
  void aVoteFromACertificateOutsideTheRosterIsFound() throws Exception {
    Credentials outsider = cluster.issue("node-9");
    VoteStatement statement = new VoteStatement(5, TestCluster.EPOCH, SlotDigest.of(TestCluster.commands(5, 1)));
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("INSERT INTO votes VALUES (5, 2, ?, ?)", "node-9",
          TestCluster.vote(outsider, statement).signature());
    }
    assertInvalid(8, Problem.SIGNER_NOT_IN_ROSTER, "node-9", "not in the roster");
  }

  @Test
  void aVoteByAnImpostorOfARosterNodeFailsItsSignature() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other CA", TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER);
    Credentials impostor = other.issue(Identity.node("prod", "node-3"), TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER);
    VoteStatement statement = new VoteStatement(5, TestCluster.EPOCH, SlotDigest.of(TestCluster.commands(5, 1)));
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("INSERT INTO votes VALUES (5, 2, ?, ?)", "node-3",
          TestCluster.vote(impostor, statement).signature());
    }
    assertInvalid(8, Problem.CERTIFICATE_SIGNATURE_INVALID, "node-3");
  }

  @Test
  void oneSignerCountedTwiceIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE votes SET signer = 'node-1',"
          + " signature = (SELECT signature FROM votes WHERE slot = 5 AND position = 0)"
          + " WHERE slot = 5 AND position = 1");
    }
    assertInvalid(8, Problem.DUPLICATE_SIGNER, "node-1", "more than once");
  }

  @Test
  void aCertificateShortOfAQuorumIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM votes WHERE slot = 2 AND position = 1");
    }
    assertInvalid(3, Problem.QUORUM_NOT_REACHED, "slot 2", "weight 1 of 3");
  }

  @Test
  void aMissingNoOpSlotIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM slots WHERE slot = 3", "DELETE FROM votes WHERE slot = 3");
    }
    assertInvalid(6, Problem.SLOT_MISMATCH, "slot 3 is missing");
  }

  @Test
  void aRosterCertificateFromAnotherCaIsRejected() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other CA", TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER);
    Credentials impostor = other.issue(Identity.node("prod", "node-2"), TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER);
    replaceRosterCertificate("node-2", impostor);
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "roster certificate of node-2", "does not chain");
  }

  @Test
  void aRosterCertificateReplacedByAnotherOfTheSameCaChangesTheGenesis() throws Exception {
    replaceRosterCertificate("node-2", cluster.issue("node-2"));
    assertInvalid(0, Problem.GENESIS_CHANGED, "genesis", "changed");
  }

  @Test
  void aRosterCertificateOfAnotherNodeIsRejected() throws Exception {
    replaceRosterCertificate("node-2", cluster.node("node-3"));
    assertInvalid(0, Problem.ROSTER_CERTIFICATE_REJECTED, "node-2", "names spiffe://prod/node/node-3");
  }

  @Test
  void aRewrittenSignedHeadIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE signed_heads SET hash = (SELECT hash FROM entries WHERE entry_index = 4)"
          + " WHERE entry_index = 5");
    }
    assertInvalid(5, Problem.SIGNED_HEAD_MISMATCH, "head", "entry 5");
  }

  @Test
  void aForgedSignedHeadSignatureIsFound() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE signed_heads SET signature = (SELECT signature FROM signed_heads WHERE entry_index = 5)"
          + " WHERE entry_index = 8");
    }
    assertInvalid(8, Problem.SIGNED_HEAD_MISMATCH, "signature on the head at entry 8");
  }

  @Test
  void anEmptyLogClosedCleanlyHasASignedHeadOnTheGenesis() throws Exception {
    Path empty = directory.resolve("empty.db");
    AuditLog.create(empty, cluster.signed, cluster.node("node-3").signer(), AuditLog.Options.defaults()).close();
    VerificationResult result = AuditVerifier.verify(empty, cluster.authority.certificate(), AuditVerifier.Options.full());
    assertThat(result).isEqualTo(new Valid(0, 0, new Head(0, cluster.genesis.hash()), 1, cluster.genesis.hash(), "spiffe://prod/admin/root"));
    try (Tamper tamper = new Tamper(empty)) {
      tamper.update("UPDATE signed_heads SET hash = ? WHERE entry_index = 0", ByteString.copyFrom(new byte[32]));
    }
    file = empty;
    assertInvalid(0, Problem.SIGNED_HEAD_MISMATCH, "entry 0", "genesis");
  }

  @Test
  void theFirstBadIndexWinsWhateverTheThreadCount() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM votes WHERE slot = 2 AND position = 1", // certificate: index 3
          "DELETE FROM votes WHERE slot = 5",                           // certificate: index 8
          "UPDATE entries SET value = X'00' WHERE entry_index = 9");    // value: index 9
    }
    for (int threads : new int[] {1, 2, 4}) {
      VerificationResult result = AuditVerifier.verify(file, cluster.authority.certificate(),
          new AuditVerifier.Options(true, threads));
      assertThat(result).as("%d threads", threads).isInstanceOfSatisfying(Invalid.class, invalid -> {
        assertThat(invalid.index()).isEqualTo(3);
        assertThat(invalid.problem()).isEqualTo(Problem.QUORUM_NOT_REACHED);
      });
    }
  }

  /**
   * A signed head's problem inside a slot is judged after that slot's certificate (FORMAT.md,
   * 3.6): a failing certificate at the slot's first index wins, whatever the head's problem.
   */
  @Test
  void aFailingCertificateWinsOverEveryHeadProblemInItsSlot() throws Exception {
    String badVote = "UPDATE votes SET signature = zeroblob(64) WHERE slot = 2 AND position = 1"; // index 3
    List<String> headProblems = List.of(
        "UPDATE signed_heads SET signature = zeroblob(64) WHERE entry_index = 5",
        "UPDATE local_owner SET node = 'node-2'",
        "UPDATE signed_heads SET hash = (SELECT hash FROM entries WHERE entry_index = 4) WHERE entry_index = 5");
    Path pristine = directory.resolve("pristine.db");
    java.nio.file.Files.copy(file, pristine);
    for (String headProblem : headProblems) {
      java.nio.file.Files.copy(pristine, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (Tamper tamper = new Tamper(file)) {
        tamper.sql(badVote, headProblem);
      }
      for (int threads : new int[] {1, 2, 4}) {
        VerificationResult result = AuditVerifier.verify(file, cluster.authority.certificate(),
            new AuditVerifier.Options(true, threads));
        assertThat(result).as("%s on %d threads", headProblem, threads).isInstanceOfSatisfying(Invalid.class,
            invalid -> {
              assertThat(invalid.problem()).as(invalid.message()).isEqualTo(Problem.CERTIFICATE_SIGNATURE_INVALID);
              assertThat(invalid.index()).as(invalid.message()).isEqualTo(3);
            });
      }
    }
  }

  @Test
  void aCertificateShortOfAQuorumWinsOverABadHeadSignatureInItsSlot() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM votes WHERE slot = 2 AND position = 1",
          "UPDATE signed_heads SET signature = zeroblob(64) WHERE entry_index = 5");
    }
    assertInvalid(3, Problem.QUORUM_NOT_REACHED, "slot 2");
  }

  @Test
  void aBadHeadInASoundSlotIsStillFoundAtItsIndex() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE signed_heads SET signature = zeroblob(64) WHERE entry_index = 5");
    }
    assertInvalid(5, Problem.SIGNED_HEAD_MISMATCH, "signature on the head at entry 5");
  }

  @Test
  void aSignedHeadAtANegativeIndexIsMalformedNotAHeadAtZero() throws Exception {
    ByteString signature = ByteString.copyFrom(cluster.node("node-1").signer().sign(
        dev.chil.audit.chain.SignedHead.MESSAGE_TYPE, ChainHash.headPayload(new Head(0, cluster.genesis.hash()))));
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("INSERT INTO signed_heads VALUES (-1, ?, 'node-1', ?)", cluster.genesis.hash(), signature);
    }
    assertInvalid(0, Problem.SIGNED_HEAD_MISMATCH, "entry index -1", "not a non-negative integer");
  }

  @Test
  void aSignedHeadWhoseIndexIsTextIsMalformedAtZeroBeforeAnySlot() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      // entry_index is the rowid and holds only integers; an attacker can rebuild the table without it.
      tamper.sql("CREATE TABLE heads AS SELECT * FROM signed_heads", "DROP TABLE signed_heads",
          "CREATE TABLE signed_heads (entry_index, hash, signer, signature)",
          "INSERT INTO signed_heads SELECT * FROM heads", "DROP TABLE heads",
          "INSERT INTO signed_heads SELECT 'five', hash, signer, signature FROM signed_heads WHERE entry_index = 5",
          "DELETE FROM votes WHERE slot = 2 AND position = 1");
    }
    assertInvalid(0, Problem.SIGNED_HEAD_MISMATCH, "'five'");
  }

  @Test
  void hashesOnlySkipsSignaturesButNotHashes() throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("DELETE FROM votes WHERE slot = 2");
    }
    assertThat(AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.hashesOnly()))
        .isInstanceOf(Valid.class);
    try (Tamper tamper = new Tamper(file)) {
      tamper.sql("UPDATE entries SET value = X'01' WHERE entry_index = 9");
    }
    assertThat(AuditVerifier.verify(file, cluster.authority.certificate(), AuditVerifier.Options.hashesOnly()))
        .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.index()).isEqualTo(9));
  }

  @Test
  void aLogWhoseCertificatesExpiredLongAgoStillVerifies() throws Exception {
    TestCluster old = TestCluster.expiredPaxos(3);
    Path oldFile = directory.resolve("old.db");
    try (AuditLog log = AuditLog.create(oldFile, old.signed, old.node("node-2").signer(), AuditLog.Options.defaults())) {
      log.append(old.slots(1, 3, 2));
    }
    assertThat(AuditVerifier.verify(oldFile, old.authority.certificate(), AuditVerifier.Options.full()))
        .isInstanceOf(Valid.class);
  }

  @Test
  void theWrongCaRejectsTheRoster() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other CA", TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER);
    VerificationResult result = AuditVerifier.verify(file, other.certificate(), AuditVerifier.Options.full());
    assertThat(result).isInstanceOfSatisfying(Invalid.class, invalid -> {
      assertThat(invalid.problem()).isEqualTo(Problem.ROSTER_CERTIFICATE_REJECTED);
      assertThat(invalid.index()).isZero();
    });
  }

  @Test
  void aPbftLogNeedsTwoFPlusOneSigners() throws Exception {
    TestCluster pbft = TestCluster.pbft(4);
    Path pbftFile = directory.resolve("pbft.db");
    try (AuditLog log = AuditLog.create(pbftFile, pbft.signed, pbft.node("node-4").signer(),
        AuditLog.Options.defaults())) {
      log.append(pbft.slots(1, 2, 2));
      assertThat(pbft.decide(3, TestCluster.commands(3, 1)).certificate().votes()).hasSize(3);
    }
    assertThat(AuditVerifier.verify(pbftFile, pbft.authority.certificate(), AuditVerifier.Options.full()))
        .isInstanceOf(Valid.class);
    try (Tamper tamper = new Tamper(pbftFile)) {
      tamper.sql("DELETE FROM votes WHERE slot = 2 AND position = 2");
    }
    assertThat(AuditVerifier.verify(pbftFile, pbft.authority.certificate(), AuditVerifier.Options.full()))
        .isInstanceOfSatisfying(Invalid.class, invalid -> {
          assertThat(invalid.problem()).isEqualTo(Problem.QUORUM_NOT_REACHED);
          assertThat(invalid.index()).isEqualTo(3);
          assertThat(invalid.reason()).contains("2 distinct signers of 4; pbft needs 3");
        });
  }

  private void replaceRosterCertificate(String node, Credentials replacement) throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = ?",
          PemFiles.pem("CERTIFICATE", replacement.certificate().getEncoded()), node);
    }
  }
}
