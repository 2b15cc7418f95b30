package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every node's log starts from: the cluster, the protocol (and with it the quorum rule), the
 * first slot, and the roster of voters. Its hash is the previous hash of entry 1, so two logs with
 * different geneses can never share an entry hash.
 *
 * <p>The roster is kept sorted by node name, so that nodes whose configurations list their peers
 * in different orders still compute the same genesis hash.
 */
public record Genesis(String cluster, Protocol protocol, long firstSlot, List<RosterMember> roster) {
  static final byte[] DOMAIN_TAG = Canonical.ascii("chil-consensus/audit-genesis/v1\0");
  /** The version of the chain encoding in FORMAT.md, hashed into the genesis. */
  public static final int FORMAT_VERSION = 1;

  public Genesis {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(protocol, "protocol");
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster must be named");
    }
    if (firstSlot < 0) {
      throw new IllegalArgumentException("first slot must not be negative: " + firstSlot);
    }
    List<RosterMember> sorted = new ArrayList<>(roster);
    sorted.sort(Comparator.comparing(RosterMember::node));
    roster = List.copyOf(sorted);
    if (roster.isEmpty()) {
      throw new IllegalArgumentException("the roster must name at least one node");
    }
    Set<String> names = new HashSet<>();
    for (RosterMember member : roster) {
      if (!names.add(member.node())) {
        throw new IllegalArgumentException("node " + member.node() + " is in the roster twice");
      }
      if (protocol == Protocol.PBFT && member.weight() != 1) {
        throw new IllegalArgumentException(
            "pbft counts signers, not weight: weight of " + member.node() + " must be 1, not " + member.weight());
      }
    }
  }

  /** The member of that name, or null when the roster has none. */
  public RosterMember member(String node) {
    for (RosterMember member : roster) {
      if (member.node().equals(node)) {
        return member;
      }
    }
    return null;
  }

  public long totalWeight() {
    return roster.stream().mapToLong(RosterMember::weight).sum();
  }

  /**
   * {@code tag ‖ u16(formatVersion) ‖ str16(cluster) ‖ str16(protocol) ‖ str16(quorumRule) ‖
   * u64(firstSlot) ‖ u32(members) ‖ for each member by name: str16(node) ‖ u64(weight) ‖
   * bytes32(certificate DER)}.
   */
  public byte[] canonicalBytes() {
    Canonical encoding = new Canonical()
        .raw(DOMAIN_TAG)
        .u16(FORMAT_VERSION)
        .str16(cluster)
        .str16(protocol.storedName())
        .str16(protocol.quorumRule())
        .u64(firstSlot)
        .u32(roster.size());
    for (RosterMember member : roster) {
      encoding.str16(member.node()).u64(member.weight()).bytes32(member.certificateDer());
    }
    return encoding.toByteArray();
  }

  /** SHA-256 of {@link #canonicalBytes()}: the previous hash of entry 1, and the head of an empty log. */
  public ByteString hash() {
    return ByteString.copyFrom(Canonical.sha256(canonicalBytes()));
  }
}
