package dev.chil.audit.chain;

/**
 * What a verifier found wrong, by name, so that tests and tools can tell tampers apart without
 * parsing messages. The message beside it says where and how.
 */
public enum Problem {
  /** The genesis record or roster no longer hashes to the genesis hash the chain starts from. */
  GENESIS_CHANGED,
  /** A roster certificate does not chain to the CA, or names another identity than its node. */
  ROSTER_CERTIFICATE_REJECTED,
  /** A value no longer matches its stored digest. */
  VALUE_CHANGED,
  /** An entry's content no longer hashes to its stored hash. */
  ENTRY_CHANGED,
  /** Entries are missing: an index gap, or later entries renumbered down over a deleted one. */
  ENTRY_DELETED,
  /** An entry was inserted: later entries were renumbered up past it. */
  ENTRY_INSERTED,
  /** Two neighbouring entries exchanged places. */
  ENTRIES_SWAPPED,
  /** An entry's previous hash is not the hash of the entry before it, for no reason named above. */
  LINK_BROKEN,
  /** Slots are missing, out of order, or an entry lies outside the slot it claims. */
  SLOT_MISMATCH,
  /** The slot's entries do not hash to the digest its certificate signed. */
  CERTIFICATE_DIGEST_MISMATCH,
  /** A vote's signature does not verify over the slot's statement. */
  CERTIFICATE_SIGNATURE_INVALID,
  /** A vote comes from a signer that is not in the roster. */
  SIGNER_NOT_IN_ROSTER,
  /** One signer's vote appears more than once. */
  DUPLICATE_SIGNER,
  /** The valid votes do not reach the protocol's quorum. */
  QUORUM_NOT_REACHED,
  /** A signed head's hash is not the chain's hash at that index, or its signature does not verify. */
  SIGNED_HEAD_MISMATCH,
  /** The log ends below a signed head: its tail was cut off. */
  TRUNCATED
}
