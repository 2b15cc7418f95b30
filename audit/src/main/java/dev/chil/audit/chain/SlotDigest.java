package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * The digest of one slot's ordered commands: what replicas vote on, what a verifier recomputes
 * from the audit entries to check the slot's quorum certificate, and what a client checks that
 * its own command is among, from a Merkle audit path alone (the other commands stay unseen).
 *
 * <pre>
 *   SHA-256( "chil-consensus/slot/v2" 0x00 ‖ u32(count) ‖ MTH(canonicalBytes of each command) )
 * </pre>
 *
 * MTH is the RFC 9162 Merkle tree hash ({@link MerkleTree}) whose leaves are the commands'
 * canonical bytes, in order. An empty slot (a no-op that fills a gap) has the digest of zero
 * commands.
 */
public final class SlotDigest {
  static final byte[] DOMAIN_TAG = Canonical.ascii("chil-consensus/slot/v2\0");

  private SlotDigest() {}

  public static ByteString of(List<Command> commands) {
    return ofRoot(commands.size(), MerkleTree.root(leafHashes(commands)));
  }

  /** The digest of a slot of {@code count} commands whose Merkle tree has this root. */
  public static ByteString ofRoot(long count, ByteString merkleRoot) {
    byte[] bytes = new Canonical().raw(DOMAIN_TAG).u32(count).raw(merkleRoot.toByteArray()).toByteArray();
    return ByteString.copyFrom(Canonical.sha256(bytes));
  }

  /** A command's leaf hash in its slot's tree. */
  public static ByteString leafHash(Command command) {
    return MerkleTree.leafHash(command.canonicalBytes());
  }

  public static List<ByteString> leafHashes(List<Command> commands) {
    List<ByteString> leaves = new ArrayList<>(commands.size());
    for (Command command : commands) {
      leaves.add(leafHash(command));
    }
    return leaves;
  }
}
