package dev.chil.audit.store;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedHead;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.PemFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The writer's SQL: what {@link AuditLog} inserts, and what it reads back when it opens a log. */
final class LogTables {
  private LogTables() {}

  /** Inserts the slots' rows, their entries and the signed head, in the caller's transaction. */
  static void insertSlots(Connection connection, long firstIndex, List<DecidedSlot> slots, List<List<Entry>> chained,
      SignedHead signedHead) throws SQLException {
    try (PreparedStatement entries = connection.prepareStatement("INSERT INTO entries ("
            + StoredRows.ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement slotRows = connection.prepareStatement(
            "INSERT INTO slots (" + StoredRows.SLOT_COLUMNS + ") VALUES (?, ?, ?, ?, ?)");
        PreparedStatement votes = connection.prepareStatement(
            "INSERT INTO votes (slot, position, signer, signature) VALUES (?, ?, ?, ?)");
        PreparedStatement facts = connection.prepareStatement(
            "INSERT INTO local_slot_facts (slot, decided_at_ms, learned_in) VALUES (?, ?, ?)")) {
      long nextIndex = firstIndex;
      for (int i = 0; i < slots.size(); i++) {
        DecidedSlot slot = slots.get(i);
        VoteStatement statement = slot.certificate().statement();
        slotRows.setLong(1, slot.slot());
        slotRows.setLong(2, nextIndex);
        slotRows.setLong(3, slot.commands().size());
        slotRows.setBytes(4, statement.epoch().toByteArray());
        slotRows.setBytes(5, statement.digest().toByteArray());
        slotRows.addBatch();
        List<Vote> slotVotes = slot.certificate().votes();
        for (int position = 0; position < slotVotes.size(); position++) {
          votes.setLong(1, slot.slot());
          votes.setInt(2, position);
          votes.setString(3, slotVotes.get(position).signer());
          votes.setBytes(4, slotVotes.get(position).signature().toByteArray());
          votes.addBatch();
        }
        facts.setLong(1, slot.slot());
        facts.setLong(2, slot.decidedAt().toEpochMilli());
        facts.setBytes(3, slot.learnedIn().toByteArray());
        facts.addBatch();
        for (Entry entry : chained.get(i)) {
          Command command = entry.command();
          entries.setLong(1, entry.index());
          entries.setLong(2, entry.slot());
          entries.setString(3, command.key());
          entries.setBytes(4, command.value().toByteArray());
          entries.setBytes(5, command.valueDigest().toByteArray());
          entries.setString(6, command.client());
          entries.setString(7, command.requestId());
          entries.setBytes(8, entry.previousHash().toByteArray());
          entries.setBytes(9, entry.hash().toByteArray());
          entries.addBatch();
        }
        nextIndex += slot.commands().size();
      }
      entries.executeBatch();
      slotRows.executeBatch();
      votes.executeBatch();
      facts.executeBatch();
    }
    if (signedHead != null) {
      insertSignedHead(connection, signedHead);
    }
  }

  /** Stores a signed head; a second one at the same index is ignored. */
  static void insertSignedHead(Connection connection, SignedHead signed) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT OR IGNORE INTO signed_heads (entry_index, hash, signer, signature) VALUES (?, ?, ?, ?)")) {
      statement.setLong(1, signed.head().index());
      statement.setBytes(2, signed.head().hash().toByteArray());
      statement.setString(3, signed.signer());
      statement.setBytes(4, signed.signature().toByteArray());
      statement.executeUpdate();
    }
  }

  static void insertGenesis(Connection connection, Genesis genesis) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO genesis (singleton, cluster, protocol, quorum_rule, first_slot, hash) VALUES (1, ?, ?, ?, ?, ?)")) {
      statement.setString(1, genesis.cluster());
      statement.setString(2, genesis.protocol().storedName());
      statement.setString(3, genesis.protocol().quorumRule());
      statement.setLong(4, genesis.firstSlot());
      statement.setBytes(5, genesis.hash().toByteArray());
      statement.executeUpdate();
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO roster (node, weight, certificate_pem) VALUES (?, ?, ?)")) {
      for (RosterMember member : genesis.roster()) {
        statement.setString(1, member.node());
        statement.setLong(2, member.weight());
        statement.setString(3, PemFiles.pem("CERTIFICATE", member.certificateDer()));
        statement.executeUpdate();
      }
    }
  }

  static String ownerOf(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT node FROM local_owner WHERE singleton = 1");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getString(1) : "(none recorded)";
    }
  }

  static Head readHead(Connection connection, Genesis genesis) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT entry_index, hash FROM entries ORDER BY entry_index DESC LIMIT 1");
        ResultSet rows = statement.executeQuery()) {
      return rows.next()
          ? new Head(rows.getLong(1), ByteString.copyFrom(rows.getBytes(2)))
          : new Head(0, genesis.hash());
    }
  }

  static long readNextSlot(Connection connection, Genesis genesis) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT max(slot) FROM slots");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      long last = rows.getLong(1);
      return rows.wasNull() ? genesis.firstSlot() : last + 1;
    }
  }

  static long readSignedHeadIndex(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT max(entry_index) FROM signed_heads");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      long last = rows.getLong(1);
      return rows.wasNull() ? -1 : last;
    }
  }
}
