package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.pki.CertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Writes the golden vectors under {@code src/test/resources/golden/v2}: small audit logs as SQL
 * text, each with the verdict, index and problem FORMAT.md says a verifier must report, for a
 * second implementation to run against. Run its {@code main} from the audit module's folder when
 * the format changes on purpose; {@link GoldenVectorsTest} runs the committed set on every build.
 *
 * <p>Each vector is made by the real writer and, for tampers, changed the way an attacker with
 * the file would (triggers dropped); the generator refuses to write one whose verdict is not the
 * one declared here, so the manifest is checked twice: when written and on every build.
 */
public final class GoldenVectors {
  static final Path DIRECTORY = Path.of("src/test/resources/golden/v" + Genesis.FORMAT_VERSION);
  static final String MANIFEST = "MANIFEST.tsv";

  /** How a vector changes the base log; the base log is the paxos one of {@link #base}. */
  interface Change {
    void apply(Path file, TestCluster cluster) throws Exception;
  }

  /** The log a vector starts from. */
  enum Base {
    /** {@link #base}: 3 paxos nodes, node-1's log, signed heads every 4 entries. */
    PAXOS,
    /** 4 pbft nodes, 3 slots of 2 commands, node-4's log, signed heads every 2 entries. */
    PBFT,
    /** node-2's paxos log with no entries, closed cleanly: a signed head on the genesis. */
    EMPTY,
    /** 3 paxos nodes whose certificates were valid in 2019 only, 3 slots of 2 commands. */
    EXPIRED
  }

  /** What the verifier is told to pin (the manifest's {@code pinned_genesis}). */
  enum Pin {
    NONE,
    /** The log's own genesis hash. */
    OWN,
    /** 32 zero bytes: no genesis has that hash. */
    ZERO
  }

  /** One vector: its name, what it is, the base, the change, the pin, and the expected verdict. */
  record Vector(String name, String description, Base base, Change change, Pin pin, long index, Problem problem) {
    Vector(String name, String description, Change change, long index, Problem problem) {
      this(name, description, Base.PAXOS, change, Pin.NONE, index, problem);
    }
  }

  /** Instants of the golden CA: wide enough for the expired cluster's certificates too. */
  static final java.time.Instant CA_NOT_BEFORE = java.time.Instant.parse("2019-01-01T00:00:00Z");
  static final java.time.Instant EXPIRED_NOT_AFTER = java.time.Instant.parse("2020-01-01T00:00:00Z");

  private GoldenVectors() {}

  static List<Vector> vectors() {
    List<Vector> vectors = new ArrayList<>();
    vectors.add(new Vector("valid-paxos", "3 paxos nodes; slots of 2, 3, 0 (no-op), 2, 1, 2 commands;"
        + " signed heads at 5, 8, 10", (file, cluster) -> { }, -1, null));
    vectors.add(new Vector("valid-pbft", "4 pbft nodes, 3 slots of 2 commands, votes by 3", Base.PBFT,
        (file, cluster) -> { }, Pin.NONE, -1, null));
    vectors.add(new Vector("valid-empty", "no entries, a signed head on the genesis", Base.EMPTY,
        (file, cluster) -> { }, Pin.NONE, -1, null));
    vectors.add(new Vector("valid-expired", "3 paxos nodes whose certificates expired in 2020: checked at their"
        + " own notBefore, so still valid", Base.EXPIRED, (file, cluster) -> { }, Pin.NONE, -1, null));
    vectors.add(new Vector("valid-pinned", "valid-paxos, verified with its own genesis hash pinned", Base.PAXOS,
        (file, cluster) -> { }, Pin.OWN, -1, null));
    vectors.add(new Vector("genesis-not-pinned", "valid-paxos, verified with 32 zero bytes pinned as the genesis",
        Base.PAXOS, (file, cluster) -> { }, Pin.ZERO, 0, Problem.GENESIS_NOT_PINNED));
    sql(vectors, "value-changed", "a value replaced", 4, Problem.VALUE_CHANGED,
        "UPDATE entries SET value = X'00' WHERE entry_index = 4");
    vectors.add(new Vector("entry-changed", "a value replaced with its digest", (file, cluster) -> {
      Command forged = new Command("key-2-1", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app", "r");
      try (Tamper tamper = new Tamper(file)) {
        tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 4", forged.value(),
            forged.valueDigest());
      }
    }, 4, Problem.ENTRY_CHANGED));
    // FORMAT.md, the limits of an entry's fields: each beside a changed value, which it wins over.
    sql(vectors, "entry-request-id-empty", "entry 4's request id emptied and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET request_id = '', value = X'00' WHERE entry_index = 4");
    sql(vectors, "entry-key-empty", "entry 4's key emptied and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET key = '', value = X'00' WHERE entry_index = 4");
    sql(vectors, "entry-client-empty", "entry 4's client emptied and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET client = '', value = X'00' WHERE entry_index = 4");
    sql(vectors, "entry-key-too-long", "entry 4's key made 1025 bytes and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET key = replace(hex(zeroblob(1025)), '00', 'k'), value = X'00'"
            + " WHERE entry_index = 4");
    sql(vectors, "entry-request-id-too-long", "entry 4's request id made 129 bytes and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET request_id = replace(hex(zeroblob(129)), '00', 'r'),"
            + " value = X'00' WHERE entry_index = 4");
    vectors.add(new Vector("certificate-digest-mismatch", "a value replaced and every hash after it rewritten",
        (file, cluster) -> {
          Command forged = new Command("key-2-0", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app",
              "request-2-0");
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 3", forged.value(),
                forged.valueDigest());
            tamper.rewriteChainFrom(3);
          }
        }, 3, Problem.CERTIFICATE_DIGEST_MISMATCH));
    sql(vectors, "entry-deleted", "entry 4 deleted", 4, Problem.ENTRY_DELETED,
        "DELETE FROM entries WHERE entry_index = 4");
    vectors.add(new Vector("entry-deleted-renumbered", "entry 4 deleted, later ones renumbered down",
        (file, cluster) -> {
          try (Tamper tamper = new Tamper(file)) {
            tamper.sql("DELETE FROM entries WHERE entry_index = 4").renumber(5, -1);
          }
        }, 4, Problem.ENTRY_DELETED));
    vectors.add(new Vector("entry-inserted", "a copy of entry 2 inserted at 7, later ones renumbered up",
        (file, cluster) -> {
          try (Tamper tamper = new Tamper(file)) {
            tamper.renumber(7, 1).sql("INSERT INTO entries SELECT 7, slot, 'key-y', value, value_digest, client,"
                + " request_id, previous_hash, hash FROM entries WHERE entry_index = 2");
          }
        }, 7, Problem.ENTRY_INSERTED));
    sql(vectors, "entries-swapped", "entries 6 and 7 exchanged", 6, Problem.ENTRIES_SWAPPED,
        "UPDATE entries SET entry_index = -1 WHERE entry_index = 6",
        "UPDATE entries SET entry_index = 6 WHERE entry_index = 7",
        "UPDATE entries SET entry_index = 7 WHERE entry_index = -1");
    sql(vectors, "link-broken", "entry 6's previous hash replaced", 6, Problem.LINK_BROKEN,
        "UPDATE entries SET previous_hash = zeroblob(32) WHERE entry_index = 6");
    sql(vectors, "truncated", "the tail from entry 8 cut, with its slots and votes", 8, Problem.TRUNCATED,
        "DELETE FROM entries WHERE entry_index >= 8", "DELETE FROM slots WHERE slot >= 5",
        "DELETE FROM votes WHERE slot >= 5");
    sql(vectors, "slot-missing", "the no-op slot 3 deleted", 6, Problem.SLOT_MISMATCH,
        "DELETE FROM slots WHERE slot = 3", "DELETE FROM votes WHERE slot = 3");
    sql(vectors, "vote-signature-invalid", "a vote's signature altered", 6, Problem.CERTIFICATE_SIGNATURE_INVALID,
        "UPDATE votes SET signature = zeroblob(64) WHERE slot = 4 AND position = 1");
    sql(vectors, "duplicate-signer", "node-1's vote counted twice in slot 5", 8, Problem.DUPLICATE_SIGNER,
        "UPDATE votes SET signer = 'node-1', signature = (SELECT signature FROM votes WHERE slot = 5 AND position = 0)"
            + " WHERE slot = 5 AND position = 1");
    sql(vectors, "signer-not-in-roster", "a vote by node-9 added to slot 5", 8, Problem.SIGNER_NOT_IN_ROSTER,
        "INSERT INTO votes VALUES (5, 2, 'node-9', zeroblob(64))");
    sql(vectors, "quorum-not-reached", "node-2's vote on slot 2 deleted", 3, Problem.QUORUM_NOT_REACHED,
        "DELETE FROM votes WHERE slot = 2 AND position = 1");
    sql(vectors, "vote-without-slot", "a vote for slot 99, which the log does not have", 11, Problem.VOTE_MISPLACED,
        "INSERT INTO votes VALUES (99, 0, 'node-1', zeroblob(64))");
    sql(vectors, "vote-position-gap", "slot 2's votes at positions 0 and 5", 3, Problem.VOTE_MISPLACED,
        "UPDATE votes SET position = 5 WHERE slot = 2 AND position = 1");
    sql(vectors, "signed-head-mismatch", "the head at 5 holds entry 4's hash", 5, Problem.SIGNED_HEAD_MISMATCH,
        "UPDATE signed_heads SET hash = (SELECT hash FROM entries WHERE entry_index = 4) WHERE entry_index = 5");
    sql(vectors, "signed-head-foreign", "node-1's log whose owner is recorded as node-2", 5,
        Problem.SIGNED_HEAD_FOREIGN, "UPDATE local_owner SET node = 'node-2'");
    String badVote = "UPDATE votes SET signature = zeroblob(64) WHERE slot = 2 AND position = 1";
    sql(vectors, "signed-head-forged-after-bad-vote", "slot 2's second vote and the signature of the head at 5"
        + " (in slot 2) zeroed: the certificate is judged first", 3, Problem.CERTIFICATE_SIGNATURE_INVALID,
        badVote, "UPDATE signed_heads SET signature = zeroblob(64) WHERE entry_index = 5");
    sql(vectors, "signed-head-foreign-after-bad-vote", "slot 2's second vote zeroed and the owner recorded as"
        + " node-2 (heads at 5, 8, 10 foreign): the certificate is judged first", 3,
        Problem.CERTIFICATE_SIGNATURE_INVALID, badVote, "UPDATE local_owner SET node = 'node-2'");
    sql(vectors, "signed-head-mismatch-after-bad-vote", "slot 2's second vote zeroed and the head at 5 holding"
        + " entry 4's hash: the certificate is judged first", 3, Problem.CERTIFICATE_SIGNATURE_INVALID, badVote,
        "UPDATE signed_heads SET hash = (SELECT hash FROM entries WHERE entry_index = 4) WHERE entry_index = 5");
    sql(vectors, "signed-head-short-quorum-first", "node-2's vote on slot 2 deleted and the signature of the"
        + " head at 5 zeroed", 3, Problem.QUORUM_NOT_REACHED, "DELETE FROM votes WHERE slot = 2 AND position = 1",
        "UPDATE signed_heads SET signature = zeroblob(64) WHERE entry_index = 5");
    vectors.add(new Vector("signed-head-negative-index", "a copy of a valid signed head on the genesis stored at"
        + " entry index -1", (file, cluster) -> {
          Credentials owner = cluster.node("node-1");
          ByteString signature = ByteString.copyFrom(owner.signer().sign(dev.chil.audit.chain.SignedHead.MESSAGE_TYPE,
              dev.chil.audit.chain.ChainHash.headPayload(new dev.chil.audit.chain.Head(0, cluster.genesis.hash()))));
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("INSERT INTO signed_heads VALUES (-1, ?, 'node-1', ?)", cluster.genesis.hash(), signature);
          }
        }, 0, Problem.SIGNED_HEAD_MISMATCH));
    sql(vectors, "genesis-changed", "node-3's weight raised without rehashing", 0, Problem.GENESIS_CHANGED,
        "UPDATE roster SET weight = 2 WHERE node = 'node-3'");
    sql(vectors, "genesis-mistyped", "first_slot stored as text", 0, Problem.GENESIS_CHANGED,
        "UPDATE genesis SET first_slot = 'one'");
    sql(vectors, "genesis-cluster-invalid", "the cluster renamed 'Prod!', not a cluster name", 0,
        Problem.GENESIS_CHANGED, "UPDATE genesis SET cluster = 'Prod!'");
    sql(vectors, "roster-name-invalid", "text before node-1's PEM and node-3 renamed 'zz!': the names are"
        + " judged before any certificate", 0, Problem.GENESIS_CHANGED,
        "UPDATE roster SET certificate_pem = 'x' || certificate_pem WHERE node = 'node-1'",
        "UPDATE roster SET node = 'zz!' WHERE node = 'node-3'");
    vectors.add(new Vector("roster-key-not-ed25519", "node-2's certificate replaced by one of the same CA with a"
        + " P-256 key, every hash recomputed: the key is judged before the hash and the admin", (file, cluster) -> {
          OddCertificates.Leaf leaf = new OddCertificates.Leaf("spiffe://prod/node/node-2", cluster.notBefore,
              cluster.notAfter);
          leaf.keyAlgorithm = "EC";
          byte[] der = OddCertificates.issue(cluster.authority, leaf).getEncoded();
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = 'node-2'",
                dev.chil.audit.chain.CertificatePem.encode(der));
            tamper.sql("DELETE FROM signed_heads").rehashGenesis();
          }
        }, 0, Problem.ROSTER_CERTIFICATE_REJECTED));
    sql(vectors, "roster-pem-prefixed", "text before node-2's PEM block", 0, Problem.ROSTER_CERTIFICATE_REJECTED,
        "UPDATE roster SET certificate_pem = 'x' || char(10) || certificate_pem WHERE node = 'node-2'");
    sql(vectors, "roster-pem-twice", "node-2's PEM block twice", 0, Problem.ROSTER_CERTIFICATE_REJECTED,
        "UPDATE roster SET certificate_pem = certificate_pem || certificate_pem WHERE node = 'node-2'");
    vectors.add(new Vector("roster-pem-rewrapped", "node-2's certificate in base64 lines of 76",
        (file, cluster) -> {
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = 'node-2'",
                wrappedAt76(cluster.node("node-2").certificate().getEncoded()));
          }
        }, 0, Problem.ROSTER_CERTIFICATE_REJECTED));
    vectors.add(new Vector("roster-first-slot-cut", "slot 1 cut; genesis rebuilt with first slot 2 and every"
        + " hash recomputed", (file, cluster) -> {
          try (Tamper tamper = new Tamper(file)) {
            tamper.sql("DELETE FROM signed_heads", "DELETE FROM entries WHERE slot = 1",
                "DELETE FROM votes WHERE slot = 1", "DELETE FROM slots WHERE slot = 1",
                "DELETE FROM local_slot_facts WHERE slot = 1", "UPDATE slots SET first_index = first_index - 2",
                "UPDATE genesis SET first_slot = 2").renumber(3, -2).rehashGenesis();
          }
        }, 0, Problem.ROSTER_NOT_AUTHORIZED));
    rehashed(vectors, "roster-node-dropped", "node-3 dropped from the roster, every hash recomputed",
        Problem.ROSTER_NOT_AUTHORIZED, "DELETE FROM signed_heads", "DELETE FROM roster WHERE node = 'node-3'");
    rehashed(vectors, "roster-weight-raised", "node-1 given weight 3 and node-2's votes deleted, hashes recomputed",
        Problem.ROSTER_NOT_AUTHORIZED, "DELETE FROM signed_heads", "UPDATE roster SET weight = 3 WHERE node = 'node-1'",
        "DELETE FROM votes WHERE signer = 'node-2'");
    rehashed(vectors, "roster-relabelled-pbft", "paxos relabelled pbft with 3 nodes, hashes recomputed",
        Problem.QUORUM_RULE_UNSOUND, "DELETE FROM signed_heads",
        "UPDATE genesis SET protocol = 'pbft', quorum_rule = '2f+1-of-3f+1'");
    sql(vectors, "roster-unsigned", "the admin signature removed", 0, Problem.ROSTER_NOT_AUTHORIZED,
        "UPDATE genesis SET admin_signature = X''");
    vectors.add(new Vector("roster-signed-by-node", "node-1 signed the genesis in place of an admin",
        (file, cluster) -> {
          Credentials node = cluster.node("node-1");
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE genesis SET admin_certificate_pem = ?, admin_signature = ?",
                dev.chil.audit.chain.CertificatePem.encode(node.certificate().getEncoded()),
                ByteString.copyFrom(node.signer().sign(SignedRoster.MESSAGE_TYPE, cluster.genesis.canonicalBytes())));
          }
        }, 0, Problem.ROSTER_NOT_AUTHORIZED));
    vectors.add(new Vector("roster-admin-of-another-ca", "the genesis signed by an admin of another CA",
        (file, cluster) -> {
          CertificateAuthority other = CertificateAuthority.create("other CA", cluster.notBefore, cluster.notAfter);
          Credentials stranger = other.issue(Identity.admin("prod", "root"), cluster.notBefore, cluster.notAfter);
          SignedRoster signed = SignedRoster.sign(cluster.genesis, stranger);
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE genesis SET admin_certificate_pem = ?, admin_signature = ?",
                dev.chil.audit.chain.CertificatePem.encode(signed.adminCertificateDer()), signed.signature());
          }
        }, 0, Problem.ROSTER_NOT_AUTHORIZED));
    moreTamperKinds(vectors);
    return vectors;
  }

  /** The rest of AuditVerifierTest's and TrustRootTest's tampers, one vector each. */
  private static void moreTamperKinds(List<Vector> vectors) {
    vectors.add(new Vector("chain-and-digest-rewritten", "entry 3's value replaced, every hash after it and slot 2's"
        + " digest rewritten: the votes no longer verify", (file, cluster) -> {
          Command forged = new Command("key-2-0", ByteString.copyFromUtf8("forged"), "spiffe://prod/client/app",
              "request-2-0");
          List<Command> slot2 = TestCluster.commands(2, 3);
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE entries SET value = ?, value_digest = ? WHERE entry_index = 3", forged.value(),
                forged.valueDigest());
            tamper.rewriteChainFrom(3);
            tamper.update("UPDATE slots SET digest = ? WHERE slot = 2",
                dev.chil.audit.chain.SlotDigest.of(List.of(forged, slot2.get(1), slot2.get(2))));
          }
        }, 3, Problem.CERTIFICATE_SIGNATURE_INVALID));
    vectors.add(new Vector("entry-inserted-linked", "an entry linked to entry 3 and hashed at 4 inserted at 4, later"
        + " ones renumbered up", (file, cluster) -> {
          Command forged = new Command("key-x", ByteString.copyFromUtf8("inserted"), "spiffe://prod/client/app", "x");
          try (Tamper tamper = new Tamper(file)) {
            tamper.renumber(4, 1);
            ByteString previous = tamper.blob("SELECT hash FROM entries WHERE entry_index = 3");
            tamper.update("INSERT INTO entries VALUES (4, 2, ?, ?, ?, ?, ?, ?, ?)", forged.key(), forged.value(),
                forged.valueDigest(), forged.client(), forged.requestId(), previous,
                dev.chil.audit.chain.ChainHash.entry(previous, 4, 2, forged));
          }
        }, 4, Problem.ENTRY_INSERTED));
    sql(vectors, "entries-contents-swapped", "entries 9 and 10 exchanged key, value and request id, not indexes", 9,
        Problem.ENTRIES_SWAPPED, "CREATE TEMP TABLE saved AS SELECT * FROM entries WHERE entry_index IN (9, 10)",
        "UPDATE entries SET key = (SELECT key FROM saved WHERE entry_index = 19 - entries.entry_index),"
            + " value = (SELECT value FROM saved WHERE entry_index = 19 - entries.entry_index),"
            + " value_digest = (SELECT value_digest FROM saved WHERE entry_index = 19 - entries.entry_index),"
            + " request_id = (SELECT request_id FROM saved WHERE entry_index = 19 - entries.entry_index)"
            + " WHERE entry_index IN (9, 10)");
    sql(vectors, "tail-cut-inside-slot", "entry 10 deleted, its slot 6 kept (it claims 2 entries)", 10,
        Problem.ENTRY_DELETED, "DELETE FROM entries WHERE entry_index >= 10");
    vectors.add(new Vector("vote-by-impostor", "a vote for slot 5 signed as node-3 with a key of another CA",
        (file, cluster) -> {
          CertificateAuthority other = CertificateAuthority.create("other CA", cluster.notBefore, cluster.notAfter);
          Credentials impostor = other.issue(Identity.node("prod", "node-3"), cluster.notBefore, cluster.notAfter);
          dev.chil.audit.chain.VoteStatement statement = new dev.chil.audit.chain.VoteStatement(5, TestCluster.EPOCH,
              dev.chil.audit.chain.SlotDigest.of(TestCluster.commands(5, 1)));
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("INSERT INTO votes VALUES (5, 2, 'node-3', ?)", TestCluster.vote(impostor, statement).signature());
          }
        }, 8, Problem.CERTIFICATE_SIGNATURE_INVALID));
    vectors.add(new Vector("roster-certificate-of-another-ca", "node-2's certificate replaced by one for"
        + " spiffe://prod/node/node-2 from another CA", (file, cluster) -> {
          CertificateAuthority other = CertificateAuthority.create("other CA", cluster.notBefore, cluster.notAfter);
          replaceRosterCertificate(file, "node-2",
              other.issue(Identity.node("prod", "node-2"), cluster.notBefore, cluster.notAfter));
        }, 0, Problem.ROSTER_CERTIFICATE_REJECTED));
    vectors.add(new Vector("roster-certificate-of-another-node", "node-2's certificate replaced by node-3's",
        (file, cluster) -> replaceRosterCertificate(file, "node-2", cluster.node("node-3")),
        0, Problem.ROSTER_CERTIFICATE_REJECTED));
    vectors.add(new Vector("roster-certificate-reissued", "node-2's certificate replaced by another of the same CA"
        + " for node-2: it chains, but the genesis hash covers the old one", (file, cluster) ->
        replaceRosterCertificate(file, "node-2", cluster.issue("node-2")), 0, Problem.GENESIS_CHANGED));
    sql(vectors, "signed-head-forged", "the head at 8 given the signature of the head at 5", 8,
        Problem.SIGNED_HEAD_MISMATCH, "UPDATE signed_heads SET signature = (SELECT signature FROM signed_heads"
            + " WHERE entry_index = 5) WHERE entry_index = 8");
    vectors.add(new Vector("signed-head-zero-not-genesis", "the empty log's head at 0 holding 32 zero bytes",
        Base.EMPTY, sqlChange("UPDATE signed_heads SET hash = zeroblob(32) WHERE entry_index = 0"), Pin.NONE, 0,
        Problem.SIGNED_HEAD_MISMATCH));
    vectors.add(new Vector("pbft-quorum-not-reached", "pbft: slot 2's third vote deleted, 2 of 4 signers left",
        Base.PBFT, sqlChange("DELETE FROM votes WHERE slot = 2 AND position = 2"), Pin.NONE, 3,
        Problem.QUORUM_NOT_REACHED));
    sql(vectors, "roster-weight-zero", "node-3's weight set to 0", 0, Problem.QUORUM_RULE_UNSOUND,
        "UPDATE roster SET weight = 0 WHERE node = 'node-3'");
    sql(vectors, "admin-pem-trailer", "text after the admin certificate's PEM block", 0, Problem.ROSTER_NOT_AUTHORIZED,
        "UPDATE genesis SET admin_certificate_pem = admin_certificate_pem || 'trailer'");
    sql(vectors, "admin-signature-text", "the admin signature stored as TEXT", 0, Problem.GENESIS_CHANGED,
        "UPDATE genesis SET admin_signature = 'abc'");
    sql(vectors, "roster-pem-crlf", "node-2's PEM with CR LF line ends", 0, Problem.ROSTER_CERTIFICATE_REJECTED,
        "UPDATE roster SET certificate_pem = replace(certificate_pem, char(10), char(13) || char(10))"
            + " WHERE node = 'node-2'");
    sql(vectors, "vote-before-first-slot", "a vote for slot 0, before the first slot 1", 0, Problem.VOTE_MISPLACED,
        "INSERT INTO votes (slot, position, signer, signature) VALUES (0, 0, 'node-1', X'00')");
    sql(vectors, "vote-slot-not-integer", "a vote whose slot is the TEXT 'two'", 0, Problem.VOTE_MISPLACED,
        "INSERT INTO votes (slot, position, signer, signature) VALUES ('two', 0, 'node-1', X'00')");
    sql(vectors, "entry-key-not-utf8", "entry 4's key holding the byte ff (not UTF-8) and its value replaced", 4,
        Problem.ENTRY_CHANGED, "UPDATE entries SET key = CAST(X'6b65792dff' AS TEXT), value = X'00'"
            + " WHERE entry_index = 4");
    sql(vectors, "admin-pem-not-utf8", "an overlong UTF-8 '/' (c0 af) after the admin certificate's PEM", 0,
        Problem.GENESIS_CHANGED, "UPDATE genesis SET admin_certificate_pem"
            + " = CAST(CAST(admin_certificate_pem AS BLOB) || X'c0af' AS TEXT)");
    sql(vectors, "vote-signer-blob", "slot 5's second vote's signer stored as the BLOB of 'node-2'", 8,
        Problem.SIGNER_NOT_IN_ROSTER, "UPDATE votes SET signer = CAST(signer AS BLOB) WHERE slot = 5 AND position = 1");
    vectors.add(new Vector("signed-head-copied", "the head at 5 replaced by the one node-2 signed in its own log"
        + " (same chain, valid signature)", (file, cluster) -> {
          Path theirs = file.resolveSibling(file.getFileName() + ".node-2");
          try (AuditLog log = AuditLog.create(theirs, cluster.signed, cluster.node("node-2").signer(),
              new AuditLog.Options(4))) {
            int[] sizes = {2, 3};
            for (int slot = 1; slot <= sizes.length; slot++) {
              log.append(cluster.decide(slot, TestCluster.commands(slot, sizes[slot - 1])));
            }
          }
          ByteString signature;
          try (Tamper other = new Tamper(theirs)) {
            signature = other.blob("SELECT signature FROM signed_heads WHERE entry_index = 5");
          }
          Files.delete(theirs);
          try (Tamper tamper = new Tamper(file)) {
            tamper.update("UPDATE signed_heads SET signer = 'node-2', signature = ? WHERE entry_index = 5", signature);
          }
        }, 5, Problem.SIGNED_HEAD_FOREIGN));
    vectors.add(new Vector("insider-fake-log", "a whole log made by node-1 alone: a 1-node roster it signed itself"
        + " in place of an admin, one slot it decided alone", (file, cluster) -> {
          Credentials insider = cluster.node("node-1");
          Genesis alone = new Genesis("prod", cluster.genesis.protocol(), 1,
              cluster.genesis.roster().stream().filter(member -> member.node().equals("node-1")).toList());
          SignedRoster selfSigned = new SignedRoster(alone, insider.certificate(),
              ByteString.copyFrom(insider.signer().sign(SignedRoster.MESSAGE_TYPE, alone.canonicalBytes())));
          Files.delete(file);
          try (AuditLog fake = AuditLog.create(file, selfSigned, insider.signer(), AuditLog.Options.defaults())) {
            fake.append(cluster.decide(1, TestCluster.commands(1, 2), 1));
          }
        }, 0, Problem.ROSTER_NOT_AUTHORIZED));
    sql(vectors, "vote-position-text", "slot 4's second vote at position 'one' (TEXT)", 6, Problem.VOTE_MISPLACED,
        "UPDATE votes SET position = 'one' WHERE slot = 4 AND position = 1");
  }

  private static Change sqlChange(String... statements) {
    return (file, cluster) -> {
      try (Tamper tamper = new Tamper(file)) {
        tamper.sql(statements);
      }
    };
  }

  private static void replaceRosterCertificate(Path file, String node, Credentials replacement) throws Exception {
    try (Tamper tamper = new Tamper(file)) {
      tamper.update("UPDATE roster SET certificate_pem = ? WHERE node = ?",
          dev.chil.audit.chain.CertificatePem.encode(replacement.certificate().getEncoded()), node);
    }
  }

  /** PEM as many tools write it (MIME lines of 76): the same DER, but not the canonical text. */
  static String wrappedAt76(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static void sql(List<Vector> vectors, String name, String description, long index, Problem problem,
      String... statements) {
    vectors.add(new Vector(name, description, (file, cluster) -> {
      try (Tamper tamper = new Tamper(file)) {
        tamper.sql(statements);
      }
    }, index, problem));
  }

  private static void rehashed(List<Vector> vectors, String name, String description, Problem problem,
      String... statements) {
    vectors.add(new Vector(name, description, (file, cluster) -> {
      try (Tamper tamper = new Tamper(file)) {
        tamper.sql(statements).rehashGenesis();
      }
    }, 0, problem));
  }

  /** The paxos log every tamper starts from; the layout of {@code AuditVerifierTest}. */
  static void base(Path file, TestCluster cluster) throws Exception {
    try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-1").signer(), new AuditLog.Options(4))) {
      int[] sizes = {2, 3, 0, 2, 1, 2};
      for (int slot = 1; slot <= sizes.length; slot++) {
        log.append(cluster.decide(slot, TestCluster.commands(slot, sizes[slot - 1])));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("golden");
    CertificateAuthority authority = CertificateAuthority.create("audit golden CA", CA_NOT_BEFORE,
        TestCluster.NOT_AFTER.plus(java.time.Duration.ofDays(1)));
    java.util.Map<Base, TestCluster> clusters = new java.util.EnumMap<>(Base.class);
    clusters.put(Base.PAXOS, TestCluster.under(authority, dev.chil.audit.chain.Protocol.PAXOS, 3,
        TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER));
    clusters.put(Base.PBFT, TestCluster.under(authority, dev.chil.audit.chain.Protocol.PBFT, 4,
        TestCluster.NOT_BEFORE, TestCluster.NOT_AFTER));
    clusters.put(Base.EMPTY, clusters.get(Base.PAXOS));
    clusters.put(Base.EXPIRED, TestCluster.under(authority, dev.chil.audit.chain.Protocol.PAXOS, 3, CA_NOT_BEFORE,
        EXPIRED_NOT_AFTER));
    Files.writeString(out.resolve("ca.pem"), PemFiles.pem("CERTIFICATE", authority.certificate().getEncoded()));
    StringBuilder manifest = new StringBuilder("# name\tverdict\tindex\tproblem\tpinned_genesis\tdescription\n");
    for (Vector vector : vectors()) {
      Path file = work.resolve(vector.name() + ".db");
      TestCluster cluster = clusters.get(vector.base());
      write(vector.base(), file, cluster);
      vector.change().apply(file, cluster);
      String pinned = switch (vector.pin()) {
        case NONE -> "-";
        case OWN -> HexFormat.of().formatHex(cluster.genesis.hash().toByteArray());
        case ZERO -> "00".repeat(32);
      };
      VerificationResult result = AuditVerifier.verify(file, authority.certificate(), options(pinned));
      String verdict = verdict(result);
      String expected = vector.problem() == null ? "valid\t-\t-"
          : "invalid\t" + vector.index() + "\t" + vector.problem().name().toLowerCase(Locale.ROOT);
      if (!verdict.equals(expected)) {
        throw new IllegalStateException(vector.name() + ": expected " + expected + " but the verifier says " + verdict
            + " (" + result.message() + ")");
      }
      Files.writeString(out.resolve(vector.name() + ".sql"), dump(file, vector.description()));
      manifest.append(vector.name()).append('\t').append(verdict).append('\t').append(pinned).append('\t')
          .append(vector.description()).append('\n');
    }
    Files.writeString(out.resolve(MANIFEST), manifest.toString());
    System.out.println("wrote " + vectors().size() + " vectors to " + out);
  }

  private static void write(Base base, Path file, TestCluster cluster) throws Exception {
    switch (base) {
      case PAXOS -> base(file, cluster);
      case PBFT -> {
        try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-4").signer(), new AuditLog.Options(2))) {
          log.append(cluster.slots(1, 3, 2));
        }
      }
      case EMPTY -> AuditLog.create(file, cluster.signed, cluster.node("node-2").signer(), AuditLog.Options.defaults())
          .close();
      case EXPIRED -> {
        try (AuditLog log = AuditLog.create(file, cluster.signed, cluster.node("node-2").signer(),
            AuditLog.Options.defaults())) {
          log.append(cluster.slots(1, 3, 2));
        }
      }
      default -> throw new AssertionError(base);
    }
  }

  /** The verifier's options for a manifest's {@code pinned_genesis} column ({@code -} or 64 hex digits). */
  static AuditVerifier.Options options(String pinned) {
    AuditVerifier.Options options = AuditVerifier.Options.full();
    return pinned.equals("-") ? options : options.pinning(ByteString.copyFrom(HexFormat.of().parseHex(pinned)));
  }

  /** {@code valid - -} or {@code invalid <index> <problem>}, tab-separated, as the manifest has it. */
  static String verdict(VerificationResult result) {
    if (result instanceof VerificationResult.Invalid invalid) {
      return "invalid\t" + invalid.index() + "\t" + invalid.problem().name().toLowerCase(Locale.ROOT);
    }
    return result instanceof VerificationResult.Valid ? "valid\t-\t-" : "unreadable\t-\t-";
  }

  /**
   * The database as SQL, one statement per line: the two pragmas, the tables, every row with
   * its storage class kept (text holding a line break or ';', or bytes that are not UTF-8, as
   * {@code CAST(X'..' AS TEXT)}),
   * then the triggers. {@code sqlite3 x.db < x.sql} rebuilds it.
   */
  static String dump(Path file, String description) throws SQLException {
    StringBuilder sql = new StringBuilder("-- chil audit golden vector: " + description + "\n");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      for (String pragma : List.of("application_id", "user_version")) {
        try (ResultSet rows = statement.executeQuery("PRAGMA " + pragma)) {
          rows.next();
          sql.append("PRAGMA ").append(pragma).append(" = ").append(rows.getLong(1)).append(";\n");
        }
      }
      List<String[]> objects = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT type, name, sql FROM sqlite_master"
          + " WHERE sql IS NOT NULL AND type IN ('table', 'trigger') ORDER BY type, rowid")) {
        while (rows.next()) {
          objects.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
        }
      }
      for (String[] object : objects) {
        if (object[0].equals("table")) {
          sql.append(object[2].replaceAll("\\s+", " ")).append(";\n");
        }
      }
      for (String[] object : objects) {
        if (object[0].equals("table")) {
          rows(statement, object[1], sql);
        }
      }
      for (String[] object : objects) {
        if (object[0].equals("trigger")) {
          sql.append(object[2].replaceAll("\\s+", " ")).append(";\n");
        }
      }
    }
    return sql.toString();
  }

  private static void rows(Statement statement, String table, StringBuilder sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        sql.append("INSERT INTO ").append(table).append(" VALUES (");
        for (int column = 1; column <= columns; column++) {
          Object value = rows.getObject(column);
          if (value instanceof String && !dev.chil.audit.store.StoredRows.validUtf8(rows.getBytes(column))) {
            // The driver read the bad bytes as U+FFFD: write the stored bytes, as TEXT.
            value = new InvalidText(rows.getBytes(column));
          }
          sql.append(column > 1 ? ", " : "").append(literal(value));
        }
        sql.append(");\n");
      }
    }
  }

  /** TEXT whose stored bytes are not UTF-8, kept byte for byte. */
  private record InvalidText(byte[] bytes) {}

  private static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof InvalidText text) {
      return "CAST(X'" + HexFormat.of().formatHex(text.bytes()) + "' AS TEXT)";
    }
    if (value instanceof byte[] bytes) {
      return "X'" + HexFormat.of().formatHex(bytes) + "'";
    }
    if (value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    if (value instanceof Double number) {
      return Double.toString(number);
    }
    String text = value.toString();
    if (text.contains("\n") || text.contains("\r") || text.contains(";")) {
      return "CAST(X'" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "' AS TEXT)";
    }
    return "'" + text.replace("'", "''") + "'";
  }

  /** Rebuilds a database from a vector's SQL, one statement per line. */
  static void load(String sql, Path file) throws SQLException, IOException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      for (String line : sql.split("\n")) {
        if (!line.isBlank() && !line.startsWith("--")) {
          statement.execute(line);
        }
      }
      connection.commit();
    }
  }
}
