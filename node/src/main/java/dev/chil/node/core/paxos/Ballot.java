package dev.chil.node.core.paxos;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * A Paxos ballot, ordered by round, then by node name (so two nodes never share a ballot).
 *
 * <p>Canonical bytes, the "epoch" of a {@link dev.chil.audit.chain.VoteStatement}:
 * {@code u64(round) ‖ UTF-8(node)}. The round has a fixed width, so the encoding has one reading.
 */
public record Ballot(long round, String node) implements Comparable<Ballot> {
  /** Lower than every ballot a node can hold; what an acceptor that never promised holds. */
  public static final Ballot ZERO = new Ballot(0, "");

  private static final Comparator<Ballot> ORDER =
      Comparator.comparingLong(Ballot::round).thenComparing(Ballot::node);

  public Ballot {
    Objects.requireNonNull(node, "node");
    if (round < 0) {
      throw new IllegalArgumentException("round must not be negative: " + round);
    }
    if (node.isEmpty() != (round == 0)) {
      throw new IllegalArgumentException("only ballot ZERO has round 0 and no node");
    }
  }

  public ByteString toBytes() {
    byte[] name = node.getBytes(StandardCharsets.UTF_8);
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES + name.length).putLong(round).put(name).array());
  }

  public static Ballot fromBytes(ByteString bytes) {
    if (bytes.size() < Long.BYTES) {
      throw new IllegalArgumentException("a ballot is at least " + Long.BYTES + " bytes");
    }
    ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
    long round = buffer.getLong();
    byte[] name = new byte[buffer.remaining()];
    buffer.get(name);
    return new Ballot(round, new String(name, StandardCharsets.UTF_8));
  }

  public boolean isAbove(Ballot other) {
    return compareTo(other) > 0;
  }

  public boolean isBelow(Ballot other) {
    return compareTo(other) < 0;
  }

  @Override
  public int compareTo(Ballot other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return round + "." + node;
  }
}
