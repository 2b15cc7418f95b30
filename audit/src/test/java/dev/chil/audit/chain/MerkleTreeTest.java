package dev.chil.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();
  /** The leaves of the reference tree of RFC 6962's (and RFC 9162's) reference implementation tests. */
  private static final List<String> REFERENCE_LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
      "5051525354555657", "606162636465666768696a6b6c6d6e6f");
  /** Its root for 0, 1, ..., 8 leaves. */
  private static final List<String> REFERENCE_ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  private static List<ByteString> referenceLeafHashes() {
    return REFERENCE_LEAVES.stream().map(leaf -> MerkleTree.leafHash(HEX.parseHex(leaf))).toList();
  }

  private static ByteString hex(String hex) {
    return ByteString.copyFrom(HEX.parseHex(hex));
  }

  @Test
  void theRootsOfTheReferenceTreeAreTheRfcs() {
    List<ByteString> leaves = referenceLeafHashes();
    for (int size = 0; size <= leaves.size(); size++) {
      assertThat(HEX.formatHex(MerkleTree.root(leaves.subList(0, size)).toByteArray()))
          .as("root of %d leaves", size).isEqualTo(REFERENCE_ROOTS.get(size));
    }
  }

  @Test
  void theAuditPathsOfTheReferenceTreeAreTheRfcs() {
    List<ByteString> leaves = referenceLeafHashes();
    assertThat(MerkleTree.path(leaves, 0)).containsExactly(
        hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
    assertThat(MerkleTree.path(leaves, 5)).containsExactly(
        hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
  }

  @Test
  void everyLeafOfEveryTreeUpTo200LeavesProvesItsInclusionAndNothingElseDoes() {
    List<ByteString> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(MerkleTree.leafHash(new byte[] {(byte) i, (byte) (i >> 8), 7}));
    }
    for (int size = 1; size <= all.size(); size++) {
      List<ByteString> leaves = all.subList(0, size);
      ByteString root = MerkleTree.root(leaves);
      List<List<ByteString>> allPaths = MerkleTree.allPaths(leaves);
      for (int index = 0; index < size; index++) {
        List<ByteString> path = MerkleTree.path(leaves, index);
        assertThat(MerkleTree.rootFromPath(leaves.get(index), index, size, path)).contains(root);
        assertThat(allPaths.get(index)).as("all paths at once, leaf %d of %d", index, size).isEqualTo(path);
        int other = (index + 1) % size;
        if (other != index) {
          assertThat(MerkleTree.rootFromPath(leaves.get(other), index, size, path)).isNotEqualTo(Optional.of(root));
          assertThat(MerkleTree.rootFromPath(leaves.get(index), other, size, path)).isNotEqualTo(Optional.of(root));
        }
        // The size is not in the path (a slot digest binds it): the path of a smaller tree never proves a larger one.
        if (size < all.size()) {
          ByteString larger = MerkleTree.root(all.subList(0, size + 1));
          assertThat(MerkleTree.rootFromPath(leaves.get(index), index, size + 1, path)).isNotEqualTo(Optional.of(larger));
        }
      }
    }
  }

  @Test
  void anAlteredByteOfAnyPathHashOrALongerOrShorterPathFails() {
    List<ByteString> leaves = referenceLeafHashes().subList(0, 7);
    ByteString root = MerkleTree.root(leaves);
    for (int index = 0; index < leaves.size(); index++) {
      List<ByteString> path = MerkleTree.path(leaves, index);
      for (int step = 0; step < path.size(); step++) {
        for (int at = 0; at < 32; at++) {
          List<ByteString> altered = new ArrayList<>(path);
          byte[] bytes = altered.get(step).toByteArray();
          bytes[at] ^= 0x01;
          altered.set(step, ByteString.copyFrom(bytes));
          assertThat(MerkleTree.rootFromPath(leaves.get(index), index, leaves.size(), altered))
              .isNotEqualTo(Optional.of(root));
        }
      }
      List<ByteString> longer = new ArrayList<>(path);
      longer.add(root);
      assertThat(MerkleTree.rootFromPath(leaves.get(index), index, leaves.size(), longer)).isEmpty();
      if (!path.isEmpty()) {
        assertThat(MerkleTree.rootFromPath(leaves.get(index), index, leaves.size(), path.subList(0, path.size() - 1)))
            .isNotEqualTo(Optional.of(root));
      }
    }
    assertThat(MerkleTree.rootFromPath(leaves.get(0), 7, 7, List.of())).isEmpty();
    assertThat(MerkleTree.rootFromPath(leaves.get(0), -1, 7, List.of())).isEmpty();
  }

  @Test
  void theBuilderMakesTheRootOfTheRfcsRecursiveDefinition() {
    List<ByteString> leaves = new ArrayList<>();
    MerkleTree.Builder builder = new MerkleTree.Builder();
    assertThat(builder.root()).isEqualTo(hex(REFERENCE_ROOTS.get(0)));
    for (int i = 0; i < 70; i++) {
      ByteString leaf = MerkleTree.leafHash(new byte[] {(byte) i});
      leaves.add(leaf);
      builder.add(leaf);
      assertThat(builder.root()).as("%d leaves", leaves.size()).isEqualTo(recursiveRoot(leaves));
      assertThat(builder.size()).isEqualTo(leaves.size());
    }
  }

  /** MTH(D[n]) written as RFC 9162 defines it, for n >= 1: split at the largest power of two below n. */
  private static ByteString recursiveRoot(List<ByteString> leaves) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int split = 1;
    while (split * 2 < leaves.size()) {
      split *= 2;
    }
    return MerkleTree.nodeHash(recursiveRoot(leaves.subList(0, split)), recursiveRoot(leaves.subList(split, leaves.size())));
  }
}
