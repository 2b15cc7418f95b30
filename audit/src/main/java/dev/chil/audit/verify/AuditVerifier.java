package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedHead;
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
  public record Options(boolean checkSignatures, int threads) {
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("at least one thread checks certificates, not " + threads);
      }
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

  public static VerificationResult verify(Path file, X509Certificate caCertificate, Options options) {
    Objects.requireNonNull(caCertificate, "caCertificate");
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
    private ByteString genesisHash;
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
        return failed != null ? failed : new Valid(index, slots, new Head(index, previousHash), signedHeads);
      } finally {
        if (pipeline != null) {
          pipeline.close();
        }
      }
    }

    private void walk() throws SQLException, Failure, InterruptedException {
      genesis = genesis();
      checkRoster();
      try {
        certificates = CertificateCheck.forRoster(genesis);
      } catch (GeneralSecurityException e) {
        throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, "the roster is unusable: " + e.getMessage());
      }
      if (options.checkSignatures()) {
        pipeline = new CertificatePipeline(certificates, options.threads());
      }
      previousHash = genesis.hash();
      try (RowCursor<EntryRow> entries = cursor(
              "SELECT " + StoredRows.ENTRY_SELECT + " FROM entries ORDER BY entry_index", StoredRows::entry);
          RowCursor<SlotRow> slotRows = cursor(
              "SELECT " + StoredRows.SLOT_SELECT + " FROM slots ORDER BY slot", StoredRows::slot);
          RowCursor<SignedHead> heads = cursor(
              "SELECT entry_index, hash, signer, signature, "
                  + StoredRows.typeCheck("hash", "blob", "signer", "text", "signature", "blob")
                  + " FROM signed_heads ORDER BY entry_index", Walk::head);
          PreparedStatement votes = connection.prepareStatement(StoredRows.VOTES_OF_SLOT)) {
        SignedHead genesisHead = checkHeadsUpTo(heads);
        if (genesisHead != null) {
          throw new Failure(0, Problem.SIGNED_HEAD_MISMATCH, "the head " + genesisHead.signer()
              + " signed at entry 0 is not the genesis hash");
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
    }

    private Genesis genesis() throws SQLException, Failure {
      GenesisRow row = StoredRows.genesis(connection);
      if (row == null) {
        throw new Failure(0, Problem.GENESIS_CHANGED, "the genesis record is missing");
      }
      Genesis parsed;
      try {
        parsed = StoredRows.toGenesis(row);
      } catch (CertificateException e) {
        throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new Failure(0, Problem.GENESIS_CHANGED, "the genesis record is malformed: " + e.getMessage());
      }
      // The roster's certificates are checked before the hash, so that a replaced certificate
      // from another CA is reported as what it is rather than as a changed genesis.
      genesisHash = row.hash();
      return parsed;
    }

    /**
     * Each roster certificate must chain to the CA and name {@code spiffe://<cluster>/node/<name>}
     * for its roster name. Checked at the certificate's own notBefore, not now: an old log must
     * still verify after its certificates expired.
     */
    private void checkRoster() throws Failure {
      ClusterTrust trust;
      try {
        trust = new ClusterTrust(genesis.cluster(), caCertificate);
      } catch (IllegalArgumentException e) {
        throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, e.getMessage());
      }
      for (RosterMember member : genesis.roster()) {
        X509Certificate certificate = member.certificate();
        Identity identity;
        try {
          identity = trust.verify(List.of(certificate), certificate.getNotBefore().toInstant());
        } catch (CertificateRejectedException e) {
          throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED,
              "the roster certificate of " + member.node() + " is rejected: " + e.getMessage());
        }
        Identity expected;
        try {
          expected = Identity.node(genesis.cluster(), member.node());
        } catch (IllegalArgumentException e) {
          throw new Failure(0, Problem.GENESIS_CHANGED, "roster node name is invalid: " + e.getMessage());
        }
        if (!identity.equals(expected)) {
          throw new Failure(0, Problem.ROSTER_CERTIFICATE_REJECTED, "the roster certificate of " + member.node()
              + " names " + identity + ", not " + expected);
        }
      }
      if (!genesis.hash().equals(genesisHash)) {
        throw new Failure(0, Problem.GENESIS_CHANGED,
            "the genesis record and roster do not hash to the stored genesis hash: they were changed");
      }
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
      SignedHead headMismatch = null;
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
        SignedHead mismatch = checkHeadsUpTo(heads);
        headMismatch = headMismatch == null ? mismatch : headMismatch;
      }
      ByteString digest = digester.digest();
      if (!digest.equals(slot.digest())) {
        diagnoseNextEntry(entries);
        throw new Failure(firstIndex, Problem.CERTIFICATE_DIGEST_MISMATCH, "the entries of slot " + slot.slot()
            + " (" + range(firstIndex, index) + ") do not hash to the digest its certificate signed:"
            + " an entry was changed and the hashes after it rewritten");
      }
      if (pipeline != null) {
        QuorumCertificate certificate = new QuorumCertificate(
            new VoteStatement(slot.slot(), slot.epoch(), digest), StoredRows.votes(votes, slot.slot()));
        Invalid earlier = pipeline.submit(slot.slot(), firstIndex, range(firstIndex, index), digest, certificate);
        if (earlier != null) {
          throw new Failure(earlier);
        }
      }
      if (headMismatch != null) {
        throw new Failure(headMismatch.head().index(), Problem.SIGNED_HEAD_MISMATCH, "the head "
            + headMismatch.signer() + " signed at entry " + headMismatch.head().index() + " is not the chain's hash there");
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
     * Checks the signed heads at indexes up to the current one. A hash mismatch is returned, to
     * be reported after the slot's certificate (whose first index comes first); a bad signature
     * or a head between entries is thrown at once.
     */
    private SignedHead checkHeadsUpTo(RowCursor<SignedHead> heads) throws SQLException, Failure {
      SignedHead mismatch = null;
      for (SignedHead head = heads.peek(); head != null && head.head().index() <= index; head = heads.peek()) {
        heads.next();
        if (head.head().index() < index || !head.head().hash().equals(previousHash)) {
          mismatch = mismatch == null ? head : mismatch;
          continue;
        }
        if (options.checkSignatures()) {
          checkHeadSignature(head);
        }
        signedHeads++;
      }
      return mismatch;
    }

    private void checkHeadSignature(SignedHead head) throws Failure {
      try {
        if (genesis.member(head.signer()) == null) {
          throw new SignatureVerificationException(head.signer() + " is not in the roster");
        }
        certificates.verifier().verify(Identity.node(genesis.cluster(), head.signer()), SignedHead.MESSAGE_TYPE,
            ChainHash.headPayload(head.head()), head.signature().toByteArray());
      } catch (SignatureVerificationException | IllegalArgumentException e) {
        throw new Failure(head.head().index(), Problem.SIGNED_HEAD_MISMATCH,
            "the signature on the head at entry " + head.head().index() + " does not verify: " + e.getMessage());
      }
    }

    private static SignedHead head(ResultSet rows) throws SQLException {
      long headIndex = Math.max(0, rows.getLong(1));
      // A head with a value of the wrong type gets an empty hash: it matches no index.
      ByteString hash = rows.getString(5) == null ? StoredRows.blob(rows, 2) : ByteString.EMPTY;
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
