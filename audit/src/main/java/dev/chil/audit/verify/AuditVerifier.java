package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.CertificatePem;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.LeafRules;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.RosterCertificates;
import dev.chil.audit.chain.RosterRejectedException;
import dev.chil.audit.chain.SignedHead;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.RowCursor;
import dev.chil.audit.store.Sqlite;
import dev.chil.audit.store.StoredRows;
import dev.chil.audit.store.StoredRows.EntryRow;
import dev.chil.audit.store.StoredRows.GenesisRow;
import dev.chil.audit.store.StoredRows.SlotRow;
import dev.chil.audit.verify.VerificationResult.Invalid;
import dev.chil.audit.verify.VerificationResult.Unreadable;
import dev.chil.audit.verify.VerificationResult.Valid;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Verifies an audit log offline with nothing but the cluster CA certificate (FORMAT.md,
 * "Verifying"): the roster, every link and hash, every slot's certificate, every signed head.
 * Opens the file read-only, reads it in one snapshot, and streams the tables in index order, so
 * memory stays bounded however long the log is. Stops at the first problem.
 */
public final class AuditVerifier {
  /**
   * What to check beyond the chain, and on how many threads to check certificates (the walk
   * itself is one thread; the verdict does not depend on the thread count).
   */
  public record Options(boolean checkSignatures, int threads, ByteString pinnedGenesis) {
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("at least one thread checks certificates, not " + threads);
      }
      if (pinnedGenesis != null && pinnedGenesis.size() != ChainHash.HASH_BYTES) {
        throw new IllegalArgumentException("a pinned genesis hash is 32 bytes, not " + pinnedGenesis.size());
      }
    }

    /** No pinned genesis: the log's genesis is accepted when an admin of the CA signed it. */
    public Options(boolean checkSignatures, int threads) {
      this(checkSignatures, threads, null);
    }

    /**
     * The same options, also requiring the log's genesis hash to be this one: for a verifier who
     * knows the cluster's genesis from elsewhere (another node, a published record).
     */
    public Options pinning(ByteString genesisHash) {
      return new Options(checkSignatures, threads, genesisHash);
    }

    /** Everything, on one thread per processor: what {@code chil audit verify} runs. */
    public static Options full() {
      return new Options(true, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Links, hashes and slot digests only; vote and head signatures and quorums are skipped. For
     * measuring the hashing alone, and for a quick look; never proof that a log is authentic.
     */
    public static Options hashesOnly() {
      return new Options(false, 1);
    }
  }

  private AuditVerifier() {}

  /**
   * @param caCertificate the cluster CA, the only trust anchor
   * @return the verdict about the file: valid, invalid (the first problem) or unreadable
   * @throws IllegalArgumentException when {@code caCertificate} is not a CA certificate: the
   *     caller's input, about which no verdict on the file can be given
   */
  public static VerificationResult verify(Path file, X509Certificate caCertificate, Options options) {
    Objects.requireNonNull(caCertificate, "caCertificate");
    if (caCertificate.getBasicConstraints() < 0) {
      // The verifier's input, not the file: no verdict about the log can rest on it.
      throw new IllegalArgumentException("the CA certificate '" + caCertificate.getSubjectX500Principal().getName()
          + "' is not a CA certificate (basicConstraints CA=true)");
    }
    Connection connection;
    try {
      connection = Sqlite.openReadOnly(file);
    } catch (AuditStoreException e) {
      return new Unreadable(e.getMessage());
    }
    try {
      connection.setAutoCommit(false); // one read transaction: a consistent snapshot while a node appends
      return new Walk(connection, caCertificate, options).run();
    } catch (SQLException e) {
      return new Unreadable(file + ": cannot be read: " + Sqlite.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unreadable(file + ": verification was interrupted");
    } finally {
      Sqlite.closeQuietly(connection);
    }
  }

  /** The first problem, thrown to leave the walk. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Invalid invalid;

    Failure(long index, Problem problem, String reason) {
      this(new Invalid(index, problem, reason));
    }

    Failure(Invalid invalid) {
      super(invalid.reason(), null, false, false);
      this.invalid = invalid;
    }
  }

  /** One pass over the log, holding only the last verified hash and a few rows of look-ahead. */
  private static final class Walk {
    private final Connection connection;
    private final X509Certificate caCertificate;
    private final Options options;
    private Genesis genesis;
    private SignedRoster signedRoster;
    private Identity admin;
    private ByteString genesisHash;
    private String owner;
    private CertificateCheck certificates;
    private CertificatePipeline pipeline;
    private ByteString previousHash;
    private long index;
    private long slots;
    private long signedHeads;

    Walk(Connection connection, X509Certificate caCertificate, Options options) {
      this.connection = connection;
      this.caCertificate = caCertificate;
      this.options = options;
    }

    /**
     * Walks the log. Certificates are checked on other threads; before any verdict, the checks
     * still waiting (all of slots before the point reached) are awaited in order, and the first
     * of them that failed wins: its index is the lower one.
     */
    VerificationResult run() throws SQLException, InterruptedException {
      try {
        try {
          walk();
        } catch (Failure failure) {
          Invalid earlier = pipeline == null ? null : pipeline.drain();
          return earlier != null ? earlier : failure.invalid;
        }
        Invalid failed = pipeline == null ? null : pipeline.drain();
        return failed != null ? failed : new Valid(index, slots, new Head(index, previousHash), signedHeads, genesisHash,
            admin.spiffeId());
      } finally {
        if (pipeline != null) {
          pipeline.close();
        }
      }
    }

    private void walk() throws SQLException, Failure, InterruptedException {
      genesis = genesis();
      checkRoster();
      owner = owner();
      try {
        certificates = CertificateCheck.forRoster(genesis);
      } catch (GeneralSecurityException e) {
        throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, "the roster is unusable: " + e.getMessage());
      }
      if (options.checkSignatures()) {
        pipeline = new CertificatePipeline(certificates, options.threads());
      }
      previousHash = genesis.hash();
      checkHeadIndexes();
      try (RowCursor<EntryRow> entries = cursor(
              "SELECT " + StoredRows.ENTRY_SELECT + " FROM entries ORDER BY entry_index", StoredRows::entry);
          RowCursor<SlotRow> slotRows = cursor(
              "SELECT " + StoredRows.SLOT_SELECT + " FROM slots ORDER BY slot", StoredRows::slot);
          RowCursor<SignedHead> heads = cursor(
              "SELECT entry_index, hash, signer, signature, "
                  + StoredRows.typeCheck("hash", "blob", "signer", "text", "signature", "blob")
                  + " FROM signed_heads ORDER BY entry_index", Walk::head);
          PreparedStatement votes = connection.prepareStatement(StoredRows.VOTES_OF_SLOT)) {
        Invalid genesisHead = checkHeadsUpTo(heads);
        if (genesisHead != null) {
          throw new Failure(genesisHead);
        }
        long expectedSlot = genesis.firstSlot();
        for (SlotRow slot = slotRows.next(); slot != null; slot = slotRows.next()) {
          checkSlot(slot, expectedSlot, entries, heads, votes);
          expectedSlot++;
          slots++;
        }
        EntryRow extra = entries.peek();
        if (extra != null) {
          checkEntry(entries);
          throw new Failure(index, Problem.SLOT_MISMATCH,
              "entry " + index + " is in slot " + extra.slot() + ", which has no certificate");
        }
        SignedHead beyond = heads.peek();
        if (beyond != null) {
          throw new Failure(index + 1, Problem.TRUNCATED, "the log ends at entry " + index + ", but "
              + beyond.signer() + " signed a head at entry " + beyond.head().index() + ": the tail from entry "
              + (index + 1) + " on was cut off");
        }
      }
      checkVotesHaveSlots();
    }

    /**
     * A vote row whose slot the log does not have proves nothing and was put there: index 0 when
     * its slot is not an integer or lies before the first slot, else the index the next entry
     * would have (slots are consecutive, so a missing slot lies past the last one).
     */
    private void checkVotesHaveSlots() throws SQLException, Failure {
      try (PreparedStatement statement = connection.prepareStatement(StoredRows.VOTE_WITHOUT_SLOT);
          ResultSet rows = statement.executeQuery()) {
        if (rows.next()) {
          boolean integer = "integer".equals(rows.getString(2));
          long slot = rows.getLong(1);
          long at = !integer || slot < genesis.firstSlot() ? 0 : index + 1;
          throw new Failure(at, Problem.VOTE_MISPLACED, "a vote is for slot " + (integer ? slot : "'"
              + rows.getString(1) + "' (" + rows.getString(2) + ")") + ", which this log does not have");
        }
      }
    }

    /**
     * A signed head whose {@code entry_index} is not a non-negative INTEGER names no head of the
     * chain: {@code signed_head_mismatch} at 0, before any head is checked (FORMAT.md, step 2).
     * (SQLite sorts text after every integer, so such a row would otherwise surface as a head past
     * the end, and JDBC would read a negative or text index as some other number.)
     */
    private void checkHeadIndexes() throws SQLException, Failure {
      try (PreparedStatement statement = connection.prepareStatement("SELECT quote(entry_index) FROM signed_heads"
              + " WHERE typeof(entry_index) != 'integer' OR entry_index < 0 LIMIT 1");
          ResultSet rows = statement.executeQuery()) {
        if (rows.next()) {
          throw new Failure(0, Problem.SIGNED_HEAD_MISMATCH, "a signed head is at entry index " + rows.getString(1)
              + ", which is not a non-negative integer: it names no head of the chain");
        }
      }
    }

    /** The node that owns the file (local_owner), or null when none is recorded. */
    private String owner() throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(
              "SELECT node, typeof(node) FROM local_owner WHERE singleton = 1");
          ResultSet rows = statement.executeQuery()) {
        return rows.next() && "text".equals(rows.getString(2)) ? rows.getString(1) : null;
      }
    }

    private Genesis genesis() throws SQLException, Failure {
      GenesisRow row = StoredRows.genesis(connection);
      if (row == null) {
        throw new Failure(0, Problem.GENESIS_CHANGED, "the genesis record is missing");
      }
      String malformed = StoredRows.malformation(row);
      if (malformed != null) {
        throw new Failure(0, Problem.GENESIS_CHANGED, "the genesis record is malformed: " + malformed);
      }
      Genesis parsed;
      try {
        parsed = StoredRows.toGenesis(row);
      } catch (CertificateException e) {
        throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new Failure(0, Problem.GENESIS_CHANGED, "the genesis record is malformed: " + e.getMessage());
      }
      try {
        signedRoster = new SignedRoster(parsed, CertificatePem.decode(row.adminCertificatePem()), row.adminSignature());
      } catch (CertificateException e) {
        throw new Failure(0, Problem.ROSTER_NOT_AUTHORIZED, "the admin certificate " + e.getMessage());
      }
      String unsound = parsed.unsoundness();
      if (unsound != null) {
        throw new Failure(0, Problem.QUORUM_RULE_UNSOUND, "the genesis's quorum rule is unsound: " + unsound);
      }
      // The roster's certificates are checked before the hash, so that a replaced certificate
      // from another CA is reported as what it is rather than as a changed genesis.
      genesisHash = row.hash();
      return parsed;
    }

    /**
     * The genesis must be what an admin of the CA signed, checked at the admin certificate's own
     * notBefore (as roster certificates are), and the one the verifier pinned, if any.
     */
    private void checkAuthorized(ClusterTrust trust) throws Failure {
      try {
        admin = signedRoster.verifyAdmin(trust, signedRoster.adminCertificate().getNotBefore().toInstant());
      } catch (RosterRejectedException e) {
        throw new Failure(0, e.problem(), e.getMessage());
      }
      if (options.pinnedGenesis() != null && !options.pinnedGenesis().equals(genesisHash)) {
        throw new Failure(0, Problem.GENESIS_NOT_PINNED, "the genesis hash is " + HexFormat.of().formatHex(genesisHash.toByteArray())
            + ", not the pinned " + HexFormat.of().formatHex(options.pinnedGenesis().toByteArray()) + ": this log is of another cluster or roster");
      }
    }

    /**
     * Each roster certificate must chain to the CA and name {@code spiffe://<cluster>/node/<name>}
     * for its roster name ({@link RosterCertificates}), then the genesis must hash as stored and be
     * authorized by an admin.
     */
    private void checkRoster() throws Failure {
      ClusterTrust trust = new ClusterTrust(genesis.cluster(), caCertificate); // a CA: checked by verify()
      try {
        RosterCertificates.check(genesis, caCertificate); // member names are valid: step 1.1
      } catch (RosterRejectedException e) {
        throw new Failure(0, e.problem(), e.getMessage());
      }
      if (!genesis.hash().equals(genesisHash)) {
        throw new Failure(0, Problem.GENESIS_CHANGED,
            "the genesis record and roster do not hash to the stored genesis hash: they were changed");
      }
      checkAuthorized(trust);
    }

    private void checkSlot(SlotRow slot, long expectedSlot, RowCursor<EntryRow> entries,
        RowCursor<SignedHead> heads, PreparedStatement votes) throws SQLException, Failure, InterruptedException {
      long firstIndex = index + 1;
      if (slot.slot() != expectedSlot) {
        throw new Failure(firstIndex, Problem.SLOT_MISMATCH, slot.slot() < expectedSlot
            ? "slot " + slot.slot() + " is before the log's first slot " + expectedSlot
            : "slot " + expectedSlot + " is missing: the next certificate is for slot " + slot.slot());
      }
      if (slot.mistyped() != null) {
        throw new Failure(firstIndex, Problem.SLOT_MISMATCH,
            "slot " + slot.slot() + " is malformed: its " + slot.mistyped() + " holds a value of the wrong type");
      }
      if (slot.entryCount() < 0 || slot.entryCount() > 0xFFFF_FFFFL) {
        throw new Failure(firstIndex, Problem.SLOT_MISMATCH,
            "slot " + slot.slot() + " claims " + slot.entryCount() + " entries");
      }
      if (slot.firstIndex() != firstIndex) {
        diagnoseNextEntry(entries);
        throw new Failure(firstIndex, Problem.SLOT_MISMATCH, "slot " + slot.slot() + " claims to start at entry "
            + slot.firstIndex() + ", but the entry after slot " + (slot.slot() - 1) + " is " + firstIndex);
      }
      ChainHash.SlotDigester digester = new ChainHash.SlotDigester(slot.entryCount());
      Invalid headProblem = null;
      for (long k = 0; k < slot.entryCount(); k++) {
        EntryRow row = entries.peek();
        if (row == null) {
          throw new Failure(index + 1, Problem.ENTRY_DELETED, "slot " + slot.slot() + " has " + slot.entryCount()
              + " entries, but the log ends at entry " + index + ": entries were deleted");
        }
        Command command = checkEntry(entries);
        if (row.slot() != slot.slot()) {
          throw new Failure(index, Problem.SLOT_MISMATCH, "entry " + index + " is in slot " + row.slot()
              + ", but slot " + slot.slot() + " should hold entries " + firstIndex + ".."
              + (firstIndex + slot.entryCount() - 1));
        }
        digester.add(command);
        Invalid problem = checkHeadsUpTo(heads);
        headProblem = headProblem == null ? problem : headProblem;
      }
      ByteString digest = digester.digest();
      if (!digest.equals(slot.digest())) {
        diagnoseNextEntry(entries);
        throw new Failure(firstIndex, Problem.CERTIFICATE_DIGEST_MISMATCH, "the entries of slot " + slot.slot()
            + " (" + range(firstIndex, index) + ") do not hash to the digest its certificate signed:"
            + " an entry was changed and the hashes after it rewritten");
      }
      if (pipeline != null) {
        long[] misplaced = {-1};
        QuorumCertificate certificate = new QuorumCertificate(
            new VoteStatement(slot.slot(), slot.epoch(), digest), StoredRows.votes(votes, slot.slot(), misplaced));
        if (misplaced[0] >= 0) {
          throw new Failure(firstIndex, Problem.VOTE_MISPLACED, "the votes of slot " + slot.slot()
              + " skip position " + misplaced[0] + ": positions are 0, 1, 2, ... without gaps");
        }
        Invalid earlier = pipeline.submit(slot.slot(), firstIndex, range(firstIndex, index), digest, certificate);
        if (earlier != null) {
          throw new Failure(earlier);
        }
      }
      if (headProblem != null) {
        throw new Failure(headProblem); // after the certificate: run() reports a failing one first
      }
    }

    /** Checks the next entry against the chain, consumes it, and moves the chain on. */
    private Command checkEntry(RowCursor<EntryRow> entries) throws SQLException, Failure {
      EntryRow row = entries.peek();
      Invalid invalid = ChainCheck.check(index + 1, previousHash, row, entries.peek(1));
      if (invalid != null) {
        throw new Failure(invalid);
      }
      entries.next();
      index++;
      previousHash = row.hash();
      return row.command();
    }

    /**
     * Before blaming a slot's certificate, sees whether the next entry shows an insertion or
     * deletion at or before this point: that names the tamper better than a digest does.
     */
    private void diagnoseNextEntry(RowCursor<EntryRow> entries) throws SQLException, Failure {
      EntryRow next = entries.peek();
      if (next == null) {
        return;
      }
      Invalid invalid = ChainCheck.check(index + 1, previousHash, next, entries.peek(1));
      if (invalid != null && invalid.index() <= index) {
        throw new Failure(invalid);
      }
    }

    /**
     * Checks the signed heads at indexes up to the current one and returns the first problem
     * among them, or null. Nothing is thrown here: inside a slot, a head's problem is reported
     * only after the slot's certificate has been judged (FORMAT.md, 3.6), since a failing
     * certificate names a lower index (the slot's first) and wins.
     */
    private Invalid checkHeadsUpTo(RowCursor<SignedHead> heads) throws SQLException {
      Invalid first = null;
      for (SignedHead head = heads.peek(); head != null && head.head().index() <= index; head = heads.peek()) {
        heads.next();
        Invalid problem = checkHead(head);
        if (problem == null) {
          signedHeads++;
        } else if (first == null) {
          first = problem;
        }
      }
      return first;
    }

    /** FORMAT.md, step 5, for one head at or below the current index: hash, owner, signature. */
    private Invalid checkHead(SignedHead head) {
      long at = head.head().index();
      if (at < index || !head.head().hash().equals(previousHash)) {
        return new Invalid(at, Problem.SIGNED_HEAD_MISMATCH, at == 0
            ? "the head " + head.signer() + " signed at entry 0 is not the genesis hash"
            : "the head " + head.signer() + " signed at entry " + at + " is not the chain's hash there");
      }
      if (!head.signer().equals(owner)) {
        return new Invalid(at, Problem.SIGNED_HEAD_FOREIGN, "the head at entry " + at + " is signed by "
            + head.signer() + ", but this log is " + (owner == null ? "owned by no recorded node" : owner + "'s")
            + ": a head copied from another log");
      }
      if (options.checkSignatures()) {
        try {
          if (genesis.member(head.signer()) == null) {
            throw new SignatureVerificationException(head.signer() + " is not in the roster");
          }
          certificates.verifier().verify(Identity.node(genesis.cluster(), head.signer()), SignedHead.MESSAGE_TYPE,
              ChainHash.headPayload(head.head()), head.signature().toByteArray());
        } catch (SignatureVerificationException | IllegalArgumentException e) {
          return new Invalid(at, Problem.SIGNED_HEAD_MISMATCH,
              "the signature on the head at entry " + at + " does not verify: " + e.getMessage());
        }
      }
      return null;
    }

    private static SignedHead head(ResultSet rows) throws SQLException {
      long headIndex = rows.getLong(1); // a non-negative INTEGER: checkHeadIndexes
      // A head with a value of the wrong type gets an empty hash: it matches no index.
      ByteString hash = StoredRows.notUtf8(rows, rows.getString(5), 3, "signer") == null
          ? StoredRows.blob(rows, 2) : ByteString.EMPTY;
      return new SignedHead(new Head(headIndex, hash), StoredRows.text(rows, 3), StoredRows.blob(rows, 4));
    }

    private <T> RowCursor<T> cursor(String sql, RowCursor.RowMapper<T> mapper) throws SQLException {
      PreparedStatement statement = connection.prepareStatement(sql);
      return new RowCursor<>(statement.executeQuery(), mapper);
    }

    private static String range(long first, long last) {
      return last < first ? "no entries" : first == last ? "entry " + first : "entries " + first + ".." + last;
    }
  }
}
