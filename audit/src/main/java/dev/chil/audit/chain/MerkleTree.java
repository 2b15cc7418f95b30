package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The Merkle tree of RFC 9162 (section 2.1) over SHA-256: leaf hash {@code SHA-256(0x00 ‖ leaf)},
 * interior node {@code SHA-256(0x01 ‖ left ‖ right)}, the left subtree of n leaves holding the
 * largest power of two below n, and the empty tree's hash {@code SHA-256("")}. An inclusion proof
 * (audit path) shows that one leaf is at one index of a tree of a given size and root without
 * revealing the other leaves; tools built for transparency logs read the same trees.
 */
public final class MerkleTree {
  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;

  private MerkleTree() {}

  public static ByteString leafHash(byte[] leaf) {
    MessageDigest sha256 = Canonical.newSha256();
    sha256.update(LEAF);
    sha256.update(leaf);
    return ByteString.copyFrom(sha256.digest());
  }

  static ByteString nodeHash(ByteString left, ByteString right) {
    MessageDigest sha256 = Canonical.newSha256();
    sha256.update(NODE);
    sha256.update(left.asReadOnlyByteBuffer());
    sha256.update(right.asReadOnlyByteBuffer());
    return ByteString.copyFrom(sha256.digest());
  }

  /** The root over these leaf hashes, in order. */
  public static ByteString root(List<ByteString> leafHashes) {
    Builder builder = new Builder();
    leafHashes.forEach(builder::add);
    return builder.root();
  }

  /**
   * The audit path of the leaf at {@code index}: the sibling hashes from the leaf up to the root,
   * as RFC 9162's PATH(m, D[n]) lists them.
   */
  public static List<ByteString> path(List<ByteString> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leafHashes.size());
    }
    List<ByteString> path = new ArrayList<>();
    collectPath(leafHashes, index, path);
    return List.copyOf(path);
  }

  private static void collectPath(List<ByteString> leaves, int index, List<ByteString> path) {
    if (leaves.size() == 1) {
      return;
    }
    int split = largestPowerOfTwoBelow(leaves.size());
    if (index < split) {
      collectPath(leaves.subList(0, split), index, path);
      path.add(root(leaves.subList(split, leaves.size())));
    } else {
      collectPath(leaves.subList(split, leaves.size()), index - split, path);
      path.add(root(leaves.subList(0, split)));
    }
  }

  /** Every leaf's audit path, as {@link #path} gives each, in one pass: O(n log n) hashes rather than O(n^2). */
  public static List<List<ByteString>> allPaths(List<ByteString> leafHashes) {
    List<List<ByteString>> paths = new ArrayList<>(leafHashes.size());
    for (int i = 0; i < leafHashes.size(); i++) {
      paths.add(new ArrayList<>());
    }
    if (!leafHashes.isEmpty()) {
      fillPaths(leafHashes, 0, paths);
    }
    return paths.stream().map(List::copyOf).toList();
  }

  /** Appends, to the paths of the leaves of this subtree (from {@code offset}), the sibling above each at this level; returns its root. */
  private static ByteString fillPaths(List<ByteString> leaves, int offset, List<List<ByteString>> paths) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int split = largestPowerOfTwoBelow(leaves.size());
    ByteString left = fillPaths(leaves.subList(0, split), offset, paths);
    ByteString right = fillPaths(leaves.subList(split, leaves.size()), offset + split, paths);
    for (int i = 0; i < leaves.size(); i++) {
      paths.get(offset + i).add(i < split ? right : left);
    }
    return nodeHash(left, right);
  }

  /**
   * The root that a leaf hash at {@code index} of a tree of {@code size} leaves and this audit
   * path make (RFC 9162, 2.1.3.2), or empty when the path cannot be one of such a tree (too short,
   * too long, or the index outside the tree): the caller compares the result with a root it trusts.
   */
  public static Optional<ByteString> rootFromPath(ByteString leafHash, long index, long size, List<ByteString> path) {
    if (index < 0 || index >= size) {
      return Optional.empty();
    }
    long fn = index;
    long sn = size - 1;
    ByteString r = leafHash;
    for (ByteString sibling : path) {
      if (sn == 0) {
        return Optional.empty();
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(sibling, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? Optional.of(r) : Optional.empty();
  }

  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  /**
   * The root computed one leaf at a time, in memory logarithmic in the number of leaves: the
   * perfect subtrees completed so far, merged right to left at the end, are exactly RFC 9162's tree.
   */
  public static final class Builder {
    private record Subtree(long leaves, ByteString hash) {}

    private final Deque<Subtree> completed = new ArrayDeque<>();
    private long size;

    public void add(ByteString leafHash) {
      Subtree subtree = new Subtree(1, leafHash);
      while (!completed.isEmpty() && completed.peek().leaves() == subtree.leaves()) {
        Subtree left = completed.pop();
        subtree = new Subtree(left.leaves() * 2, nodeHash(left.hash(), subtree.hash()));
      }
      completed.push(subtree);
      size++;
    }

    public long size() {
      return size;
    }

    public ByteString root() {
      if (completed.isEmpty()) {
        return ByteString.copyFrom(Canonical.newSha256().digest());
      }
      // The stack's top is the rightmost (smallest) subtree.
      Iterator<Subtree> fromRight = completed.iterator();
      ByteString root = fromRight.next().hash();
      while (fromRight.hasNext()) {
        root = nodeHash(fromRight.next().hash(), root);
      }
      return root;
    }
  }
}
