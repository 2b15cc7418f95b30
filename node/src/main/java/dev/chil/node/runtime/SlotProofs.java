package dev.chil.node.runtime;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CommandOutcome;
import dev.chil.audit.chain.MerkleTree;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.audit.chain.SlotDigest;
import java.util.List;

/**
 * What a client needs to check one command of an executed slot without the others: the slot's
 * Merkle tree of commands (whose root its certificate's digest binds) and its tree of results
 * ({@link CommandOutcome} leaves, which pbft replicas vouch for). The leaves are hashed when the
 * slot is applied; audit paths are computed only when an answer asks for one, off the driver
 * thread. Immutable apart from that cache; safe to share.
 */
public final class SlotProofs {
  /** An RFC 9162 audit path of the leaf at {@code index} of a tree of {@code count} leaves. */
  public record Path(int index, int count, List<ByteString> hashes) {}

  private final long slot;
  private final List<ByteString> commandLeaves;
  private final List<ByteString> resultLeaves;
  private final ByteString digest;
  private final ResultStatement results;
  private List<List<ByteString>> commandPaths; // guarded by this
  private List<List<ByteString>> resultPaths; // guarded by this

  SlotProofs(long slot, List<dev.chil.audit.chain.Command> commands, List<CommandOutcome> outcomes) {
    if (commands.size() != outcomes.size()) {
      throw new IllegalArgumentException("slot " + slot + ": " + commands.size() + " commands, " + outcomes.size() + " outcomes");
    }
    this.slot = slot;
    this.commandLeaves = List.copyOf(SlotDigest.leafHashes(commands));
    this.resultLeaves = outcomes.stream().map(CommandOutcome::leafHash).toList();
    this.digest = SlotDigest.ofRoot(commands.size(), MerkleTree.root(commandLeaves));
    this.results = new ResultStatement(slot, digest, MerkleTree.root(resultLeaves));
  }

  public long slot() {
    return slot;
  }

  /** What a pbft replica signs to vouch for this slot's results. */
  public ResultStatement resultStatement() {
    return results;
  }

  public synchronized Path commandPath(int index) {
    if (commandPaths == null) {
      commandPaths = MerkleTree.allPaths(commandLeaves);
    }
    return new Path(index, commandLeaves.size(), commandPaths.get(index));
  }

  public synchronized Path resultPath(int index) {
    if (resultPaths == null) {
      resultPaths = MerkleTree.allPaths(resultLeaves);
    }
    return new Path(index, resultLeaves.size(), resultPaths.get(index));
  }
}
