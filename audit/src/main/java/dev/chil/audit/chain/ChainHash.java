package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The chain's hashing, pure: entry hashes, the signed-head payload, and a slot digest computed
 * one command at a time (so a verifier never needs a whole slot in memory). FORMAT.md documents
 * every byte of these.
 */
public final class ChainHash {
  static final byte[] ENTRY_TAG = Canonical.ascii("chil-consensus/audit-entry/v1\0");
  public static final int HASH_BYTES = 32;

  private ChainHash() {}

  /**
   * {@code SHA-256(tag ‖ previousHash[32] ‖ u64(index) ‖ u64(slot) ‖ command.canonicalBytes())}.
   * Only agreed content: nothing node-local, so correct nodes' chains are byte-identical.
   */
  public static ByteString entry(ByteString previousHash, long index, long slot, Command command) {
    return ByteString.copyFrom(Canonical.sha256(entryBytes(previousHash, index, slot, command)));
  }

  /** The bytes {@link #entry} hashes; FORMAT.md's worked example prints them. */
  public static byte[] entryBytes(ByteString previousHash, long index, long slot, Command command) {
    if (previousHash.size() != HASH_BYTES) {
      throw new IllegalArgumentException("previous hash must be 32 bytes, not " + previousHash.size());
    }
    return new Canonical()
        .raw(ENTRY_TAG)
        .raw(previousHash.toByteArray())
        .u64(index)
        .u64(slot)
        .raw(command.canonicalBytes())
        .toByteArray();
  }

  /** Chains a slot's commands onto a head: the entries that appending them creates. */
  public static List<Entry> chain(Head head, long slot, List<Command> commands) {
    Entry[] entries = new Entry[commands.size()];
    ByteString previous = head.hash();
    long index = head.index();
    for (int i = 0; i < entries.length; i++) {
      index++;
      ByteString hash = entry(previous, index, slot, commands.get(i));
      entries[i] = new Entry(index, slot, commands.get(i), previous, hash);
      previous = hash;
    }
    return List.of(entries);
  }

  /** What a signed head signs: {@code u64(index) ‖ hash[32]}. */
  public static byte[] headPayload(Head head) {
    return new Canonical().u64(head.index()).raw(head.hash().toByteArray()).toByteArray();
  }

  /**
   * {@link SlotDigest#of} fed one command at a time. The count comes first in the digest, so it
   * is declared up front; {@link #digest()} refuses if a different number of commands came.
   */
  public static final class SlotDigester {
    private final MerkleTree.Builder tree = new MerkleTree.Builder();
    private final long declaredCount;

    public SlotDigester(long declaredCount) {
      this.declaredCount = declaredCount;
    }

    public void add(Command command) {
      tree.add(SlotDigest.leafHash(command));
    }

    public long count() {
      return tree.size();
    }

    public ByteString digest() {
      if (tree.size() != declaredCount) {
        throw new IllegalStateException(tree.size() + " commands were added; " + declaredCount + " were declared");
      }
      return SlotDigest.ofRoot(declaredCount, tree.root());
    }
  }
}
