package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.InvalidCertificateException;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SignedHead;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.VerifiedSlot;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's audit log: append-only, one SQLite file (FORMAT.md). Appends are checked before
 * anything is written (each slot must follow the head and carry a certificate that proves its
 * commands) and then written in one transaction, however many slots the caller batches: that is
 * the group commit, and it is also why a crash leaves the log at a whole slot.
 *
 * <p>A log has exactly one writer, the node that owns it; methods are synchronized so that the
 * node's threads may share the instance. Readers elsewhere (the verifier) open the file read-only.
 */
public final class AuditLog implements AutoCloseable {
  /** How the log writes; see {@link #defaults()}. */
  public record Options(int signedHeadIntervalEntries) {
    public Options {
      if (signedHeadIntervalEntries < 1) {
        throw new IllegalArgumentException("signed head interval must be at least 1 entry");
      }
    }

    /** A signed head at least every 1,000 entries: one signature per thousand is noise. */
    public static Options defaults() {
      return new Options(1_000);
    }
  }

  /** The most entries {@link #read} returns at once: callers page, memory stays bounded. */
  public static final int READ_ENTRIES_MAX = 10_000;

  private final Path file;
  private final Connection connection;
  private final Genesis genesis;
  private final CertificateCheck certificates;
  private final ByteString genesisHash;
  private final Signer owner;
  private final Options options;
  private Head head;
  private long nextSlot;
  private long signedHeadIndex;
  private boolean closed;

  private AuditLog(Path file, Connection connection, Genesis genesis, CertificateCheck certificates,
      Signer owner, Options options, Head head, long nextSlot, long signedHeadIndex) {
    this.file = file;
    this.connection = connection;
    this.genesis = genesis;
    this.certificates = certificates;
    this.genesisHash = genesis.hash();
    this.owner = owner;
    this.options = options;
    this.head = head;
    this.nextSlot = nextSlot;
    this.signedHeadIndex = signedHeadIndex;
  }

  /**
   * Creates a new log owned by the signer's node, which must be in the roster (its heads are
   * checked with its roster certificate). The genesis is the admin-signed roster; the caller has
   * checked the admin's signature against the CA (the log has no CA to check it with).
   *
   * @throws AuditStoreException when the file exists or cannot be written, or the roster's quorum
   *     rule is unsound
   */
  public static AuditLog create(Path file, SignedRoster roster, Signer owner, Options options)
      throws AuditStoreException {
    Genesis genesis = roster.genesis();
    String unsound = genesis.unsoundness();
    if (unsound != null) {
      throw new AuditStoreException(file, "cannot be created: " + unsound);
    }
    checkOwner(file, genesis, owner);
    if (Files.exists(file)) {
      throw new AuditStoreException(file, "exists already; open it instead of creating it");
    }
    CertificateCheck certificates = certificateCheck(file, genesis);
    Connection connection = null;
    try {
      connection = Sqlite.openWritable(file);
      connection.setAutoCommit(false);
      Schema.create(connection);
      LogTables.insertGenesis(connection, roster);
      try (PreparedStatement statement =
          connection.prepareStatement("INSERT INTO local_owner (singleton, node) VALUES (1, ?)")) {
        statement.setString(1, owner.identity().name());
        statement.executeUpdate();
      }
      connection.commit();
      return new AuditLog(file, connection, genesis, certificates, owner, options,
          new Head(0, genesis.hash()), genesis.firstSlot(), -1);
    } catch (SQLException e) {
      if (connection != null) {
        Sqlite.closeQuietly(connection);
      }
      throw new AuditStoreException(file, "cannot be created: " + Sqlite.describe(e), e);
    }
  }

  /**
   * Opens an existing log to append to it. Checks that it is an audit log of this schema
   * version, that its genesis still hashes to the stored genesis hash and that the signer owns it;
   * checking the whole chain is the verifier's job.
   */
  public static AuditLog open(Path file, Signer owner, Options options) throws AuditStoreException {
    Sqlite.checkFile(file);
    Connection connection = null;
    try {
      connection = Sqlite.openWritable(file);
      String problem = Schema.problem(connection);
      if (problem != null) {
        throw new AuditStoreException(file, problem);
      }
      StoredRows.GenesisRow row = StoredRows.requireGenesis(connection);
      Genesis genesis = StoredRows.toSignedRoster(row).genesis();
      if (!genesis.hash().equals(row.hash())) {
        throw new AuditStoreException(file, "its genesis does not hash to the stored genesis hash; run chil audit verify");
      }
      checkOwner(file, genesis, owner);
      String storedOwner = LogTables.ownerOf(connection);
      if (!owner.identity().name().equals(storedOwner)) {
        throw new AuditStoreException(file, "belongs to node " + storedOwner + ", not " + owner.identity().name());
      }
      Head head = LogTables.readHead(connection, genesis);
      long nextSlot = LogTables.readNextSlot(connection, genesis);
      long signedHeadIndex = LogTables.readSignedHeadIndex(connection);
      connection.setAutoCommit(false);
      return new AuditLog(file, connection, genesis, certificateCheck(file, genesis), owner, options,
          head, nextSlot, signedHeadIndex);
    } catch (SQLException | CertificateException | IllegalArgumentException e) {
      if (connection != null) {
        Sqlite.closeQuietly(connection);
      }
      String message = e instanceof SQLException sql ? Sqlite.describe(sql) : e.getMessage();
      throw new AuditStoreException(file, "cannot be opened: " + message, e);
    } catch (AuditStoreException e) {
      if (connection != null) {
        Sqlite.closeQuietly(connection);
      }
      throw e;
    }
  }

  public Genesis genesis() {
    return genesis;
  }

  public synchronized Head head() {
    return head;
  }

  /** The slot the next append must start with. */
  public synchronized long nextSlot() {
    return nextSlot;
  }

  public void append(DecidedSlot slot) throws AppendRefusedException, AuditStoreException {
    append(List.of(slot));
  }

  /**
   * Appends consecutive slots in one transaction, checking each certificate first (on the
   * caller's thread); if any slot is refused, nothing is written.
   *
   * @throws AppendRefusedException when a slot does not follow the one before it (or the head),
   *     or its certificate does not prove its commands
   * @throws AuditStoreException when the database fails; the transaction is rolled back and the
   *     log is as it was, but the node should stop: its disk is failing
   */
  public void append(List<DecidedSlot> slots) throws AppendRefusedException, AuditStoreException {
    List<VerifiedSlot> verified = new ArrayList<>(slots.size());
    for (DecidedSlot slot : slots) {
      try {
        verified.add(certificates.verify(slot));
      } catch (InvalidCertificateException e) {
        throw new AppendRefusedException("slot " + slot.slot() + " refused: " + e.getMessage(), e);
      }
    }
    appendVerified(verified);
  }

  /**
   * Appends slots whose certificates were already verified against this log's roster (see
   * {@link VerifiedSlot}) in one transaction: the group commit of a driver turn.
   *
   * @throws AppendRefusedException when a slot does not follow the one before it (or the head),
   *     or was verified against another genesis; nothing is written
   * @throws AuditStoreException as for {@link #append(List)}
   */
  public synchronized void appendVerified(List<VerifiedSlot> slots) throws AppendRefusedException, AuditStoreException {
    ensureOpen();
    List<DecidedSlot> decided = new ArrayList<>(slots.size());
    List<List<Entry>> chained = new ArrayList<>(slots.size());
    Head newHead = head;
    long expectedSlot = nextSlot;
    for (VerifiedSlot verified : slots) {
      DecidedSlot slot = verified.slot();
      if (!verified.genesisHash().equals(genesisHash)) {
        throw new AppendRefusedException("slot " + slot.slot() + " was verified against another roster's genesis");
      }
      if (slot.slot() != expectedSlot) {
        throw new AppendRefusedException("slot " + slot.slot() + " does not follow the head: the next slot is "
            + expectedSlot + (slots.size() > 1 ? " (in a batch of " + slots.size() + ")" : ""));
      }
      List<Entry> entries = ChainHash.chain(newHead, slot.slot(), slot.commands());
      decided.add(slot);
      chained.add(entries);
      if (!entries.isEmpty()) {
        Entry last = entries.get(entries.size() - 1);
        newHead = new Head(last.index(), last.hash());
      }
      expectedSlot++;
    }
    if (slots.isEmpty()) {
      return;
    }
    // Sign inside the transaction, so a head is never on disk without the entries under it.
    SignedHead signedHead = newHead.index() / options.signedHeadIntervalEntries()
        > head.index() / options.signedHeadIntervalEntries() ? sign(newHead) : null;
    try {
      LogTables.insertSlots(connection, head.index() + 1, decided, chained, signedHead);
      connection.commit();
    } catch (SQLException e) {
      rollback();
      throw new AuditStoreException(file, "append failed and was rolled back: " + Sqlite.describe(e), e);
    }
    head = newHead;
    nextSlot = expectedSlot;
    if (signedHead != null) {
      signedHeadIndex = newHead.index();
    }
  }

  /** The check that {@link #appendVerified} expects its slots to have passed. */
  public CertificateCheck certificateCheck() {
    return certificates;
  }

  /**
   * Entries {@code fromIndex..toIndex}, both inclusive, clipped to the log; at most
   * {@link #READ_ENTRIES_MAX} of them.
   */
  public synchronized List<Entry> read(long fromIndex, long toIndex) throws AuditStoreException {
    ensureOpen();
    if (fromIndex < 1 || toIndex < fromIndex || toIndex - fromIndex >= READ_ENTRIES_MAX) {
      throw new IllegalArgumentException("read " + fromIndex + ".." + toIndex
          + ": indexes start at 1 and at most " + READ_ENTRIES_MAX + " entries are read at once");
    }
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT " + StoredRows.ENTRY_SELECT
        + " FROM entries WHERE entry_index BETWEEN ? AND ? ORDER BY entry_index")) {
      statement.setLong(1, fromIndex);
      statement.setLong(2, toIndex);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          entries.add(StoredRows.entry(rows).toEntry());
        }
      }
      connection.commit();
      return entries;
    } catch (SQLException e) {
      rollback();
      throw new AuditStoreException(file, "cannot be read: " + Sqlite.describe(e), e);
    }
  }

  /** The certificate stored for a slot, if the log has that slot. */
  public synchronized Optional<QuorumCertificate> certificate(long slot) throws AuditStoreException {
    ensureOpen();
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT " + StoredRows.SLOT_SELECT + " FROM slots WHERE slot = ?");
        PreparedStatement votes = connection.prepareStatement(StoredRows.VOTES_OF_SLOT)) {
      statement.setLong(1, slot);
      Optional<QuorumCertificate> certificate = Optional.empty();
      try (ResultSet rows = statement.executeQuery()) {
        if (rows.next()) {
          StoredRows.SlotRow row = StoredRows.slot(rows);
          certificate = Optional.of(new QuorumCertificate(
              new VoteStatement(row.slot(), row.epoch(), row.digest()), StoredRows.votes(votes, slot)));
        }
      }
      connection.commit();
      return certificate;
    } catch (SQLException e) {
      rollback();
      throw new AuditStoreException(file, "cannot be read: " + Sqlite.describe(e), e);
    }
  }

  /** The most slots {@link #slots} returns at once. */
  public static final int READ_SLOTS_MAX = 4_096;

  /**
   * Decided slots from {@code fromSlot} on, in slot order, with their commands and certificates:
   * at most {@code slotsMax}, fewer when the log ends sooner, none when it does not reach
   * {@code fromSlot}. Serves peers catching up from further back than they keep in memory.
   */
  public synchronized List<CertifiedSlot> slots(long fromSlot, int slotsMax) throws AuditStoreException {
    ensureOpen();
    if (fromSlot < 0 || slotsMax < 1 || slotsMax > READ_SLOTS_MAX) {
      throw new IllegalArgumentException("slots from " + fromSlot + ", at most " + slotsMax
          + ": slots start at 0 and 1-" + READ_SLOTS_MAX + " are read at once");
    }
    try (PreparedStatement slotRows = connection.prepareStatement(
            "SELECT " + StoredRows.SLOT_SELECT + " FROM slots WHERE slot >= ? ORDER BY slot LIMIT ?");
        PreparedStatement votes = connection.prepareStatement(StoredRows.VOTES_OF_SLOT);
        PreparedStatement entries = connection.prepareStatement("SELECT " + StoredRows.ENTRY_SELECT
            + " FROM entries WHERE entry_index BETWEEN ? AND ? ORDER BY entry_index")) {
      slotRows.setLong(1, fromSlot);
      slotRows.setInt(2, slotsMax);
      List<StoredRows.SlotRow> rows = new ArrayList<>();
      try (ResultSet result = slotRows.executeQuery()) {
        while (result.next()) {
          StoredRows.SlotRow row = StoredRows.slot(result);
          if (row.slot() != fromSlot + rows.size() || row.mistyped() != null) {
            throw new AuditStoreException(file, "slot " + (fromSlot + rows.size()) + " is missing or malformed");
          }
          rows.add(row);
        }
      }
      List<CertifiedSlot> slots = new ArrayList<>(rows.size());
      for (StoredRows.SlotRow row : rows) {
        List<Command> commands = new ArrayList<>((int) row.entryCount());
        if (row.entryCount() > 0) {
          entries.setLong(1, row.firstIndex());
          entries.setLong(2, row.firstIndex() + row.entryCount() - 1);
          try (ResultSet result = entries.executeQuery()) {
            while (result.next()) {
              commands.add(StoredRows.entry(result).command());
            }
          }
        }
        if (commands.size() != row.entryCount()) {
          throw new AuditStoreException(file, "slot " + row.slot() + " has " + commands.size() + " entries, not "
              + row.entryCount());
        }
        slots.add(new CertifiedSlot(commands, new QuorumCertificate(
            new VoteStatement(row.slot(), row.epoch(), row.digest()), StoredRows.votes(votes, row.slot()))));
      }
      connection.commit();
      return slots;
    } catch (SQLException | IllegalArgumentException e) {
      rollback();
      throw new AuditStoreException(file, "cannot be read: " + e.getMessage(), e);
    } catch (AuditStoreException e) {
      rollback();
      throw e;
    }
  }

  /** Stores proof of equivocation beside the chain (table {@code local_evidence}, outside every hash). */
  public synchronized void recordEvidence(List<EvidenceRecord> records) throws AuditStoreException {
    ensureOpen();
    if (records.isEmpty()) {
      return;
    }
    try {
      EvidenceTable.insert(connection, records);
      connection.commit();
    } catch (SQLException e) {
      rollback();
      throw new AuditStoreException(file, "cannot store evidence: " + Sqlite.describe(e), e);
    }
  }

  /** Signs the current head and stores the signature (once per index). */
  public synchronized SignedHead signHead() throws AuditStoreException {
    ensureOpen();
    SignedHead signed = sign(head);
    try {
      LogTables.insertSignedHead(connection, signed);
      connection.commit();
    } catch (SQLException e) {
      rollback();
      throw new AuditStoreException(file, "cannot store a signed head: " + Sqlite.describe(e), e);
    }
    signedHeadIndex = head.index();
    return signed;
  }

  /** Signs the head if it moved since the last signed head, then closes: a clean shutdown. */
  @Override
  public synchronized void close() throws AuditStoreException {
    if (closed) {
      return;
    }
    try {
      if (head.index() != signedHeadIndex) {
        signHead();
      }
    } finally {
      closed = true;
      try {
        connection.close();
      } catch (SQLException e) {
        throw new AuditStoreException(file, "did not close cleanly: " + Sqlite.describe(e), e);
      }
    }
  }

  private SignedHead sign(Head at) {
    byte[] signature = owner.sign(SignedHead.MESSAGE_TYPE, ChainHash.headPayload(at));
    return new SignedHead(at, owner.identity().name(), ByteString.copyFrom(signature));
  }

  private static void checkOwner(Path file, Genesis genesis, Signer owner) throws AuditStoreException {
    Objects.requireNonNull(owner, "owner");
    if (!owner.identity().cluster().equals(genesis.cluster()) || genesis.member(owner.identity().name()) == null) {
      throw new AuditStoreException(file, owner.identity() + " is not a node of the roster of cluster "
          + genesis.cluster() + ", so it cannot own this log");
    }
  }

  private static CertificateCheck certificateCheck(Path file, Genesis genesis) throws AuditStoreException {
    try {
      return CertificateCheck.forRoster(genesis);
    } catch (GeneralSecurityException e) {
      throw new AuditStoreException(file, "roster is unusable: " + e.getMessage(), e);
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The failure that brought us here is the one to report.
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the audit log " + file + " is closed");
    }
  }

  @Override
  public String toString() {
    return "AuditLog[" + file + ", head " + head + "]";
  }
}
