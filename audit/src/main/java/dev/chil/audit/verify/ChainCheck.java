package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.ChainHash;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Problem;
import dev.chil.audit.store.StoredRows;
import dev.chil.audit.store.StoredRows.EntryRow;
import dev.chil.audit.verify.VerificationResult.Invalid;

/**
 * Checks one stored entry against the chain verified so far and, when it fails, says which
 * tamper explains it. Pure.
 *
 * <p>The diagnosis rests on one fact: an entry's stored hash commits to its own index. An intact
 * row that was moved still hashes correctly at the index it came from, so the verifier can tell
 * "renumbered down over a deleted entry" (it came from i+1), "renumbered up past an inserted
 * one" (it came from i-1) and "swapped with its neighbour" apart from an edit or a broken link.
 */
final class ChainCheck {
  private ChainCheck() {}

  /**
   * @param index the index the entry must have
   * @param previousHash the verified hash of entry {@code index - 1} (the genesis hash for 1)
   * @param row the next stored row
   * @param following the stored row after it, or null; only read to name a tamper
   * @return null when the entry is sound, else the first problem
   */
  static Invalid check(long index, ByteString previousHash, EntryRow row, EntryRow following) {
    if (row.index() > index) {
      return new Invalid(index, Problem.ENTRY_DELETED, row.index() == index + 1
          ? "entry " + index + " is missing: it was deleted (the next stored entry is " + row.index() + ")"
          : "entries " + index + ".." + (row.index() - 1) + " are missing: they were deleted");
    }
    if (row.index() < index) {
      return new Invalid(index, Problem.ENTRY_INSERTED,
          "an entry with index " + row.index() + " was inserted; indexes start at 1 and have no gaps");
    }
    if (row.mistyped() != null) {
      return new Invalid(index, Problem.ENTRY_CHANGED,
          "entry " + index + " is malformed: its " + row.mistyped() + " holds a value of the wrong type");
    }
    Command command;
    try {
      if (row.slot() < 0) {
        throw new IllegalArgumentException("slot " + row.slot() + " is negative");
      }
      command = row.command();
    } catch (IllegalArgumentException e) {
      return new Invalid(index, Problem.ENTRY_CHANGED, "entry " + index + " is malformed: " + e.getMessage());
    }
    if (!command.valueDigest().equals(row.valueDigest())) {
      return new Invalid(index, Problem.VALUE_CHANGED,
          "the value of entry " + index + " does not match its stored digest: the value was changed");
    }
    if (row.previousHash().equals(previousHash)) {
      if (ChainHash.entry(previousHash, index, row.slot(), command).equals(row.hash())) {
        return null;
      }
      if (following != null && hashesAt(following, previousHash, index, row.hash())) {
        return new Invalid(index, Problem.ENTRIES_SWAPPED,
            "entries " + index + " and " + (index + 1) + " were swapped (their contents exchanged places)");
      }
      return new Invalid(index, Problem.ENTRY_CHANGED, "entry " + index + " does not hash to its stored hash:"
          + " its slot, key, value digest, client or request id was changed");
    }
    if (selfConsistentAt(row, index + 1)) {
      if (following != null && following.index() == index + 1 && selfConsistentAt(following, index)) {
        return new Invalid(index, Problem.ENTRIES_SWAPPED,
            "entries " + index + " and " + (index + 1) + " were swapped (entry " + index + " holds entry "
                + (index + 1) + " and the other way round)");
      }
      return new Invalid(index, Problem.ENTRY_DELETED, "entry " + index + " was deleted: the entry stored at "
          + index + " is the former entry " + (index + 1) + ", renumbered down");
    }
    if (index > 1 && selfConsistentAt(row, index - 1)) {
      return new Invalid(index - 1, Problem.ENTRY_INSERTED, "an entry was inserted at index " + (index - 1)
          + ": the entry stored at " + index + " is the former entry " + (index - 1) + ", renumbered up");
    }
    if (following != null && following.index() == index + 1 && selfConsistentAt(following, index)) {
      return new Invalid(index, Problem.ENTRY_INSERTED, "an entry was inserted at index " + index
          + ": the entry stored at " + (index + 1) + " is the former entry " + index + ", renumbered up");
    }
    return new Invalid(index, Problem.LINK_BROKEN,
        "entry " + index + " does not link to entry " + (index - 1) + ": its previous hash is not that entry's hash");
  }

  /** Whether the row, with its own stored previous hash, hashes to its stored hash at that index. */
  private static boolean selfConsistentAt(EntryRow row, long index) {
    return hashesAt(row, row.previousHash(), index, row.hash());
  }

  private static boolean hashesAt(EntryRow row, ByteString previousHash, long index, ByteString expected) {
    if (index < 1 || previousHash.size() != ChainHash.HASH_BYTES) {
      return false;
    }
    try {
      return ChainHash.entry(previousHash, index, row.slot(), row.command()).equals(expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
