package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.node.core.common.Evidence;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first validly signed PrePrepare, Prepare and Commit of each replica for each (view,
 * sequence) this replica saw in its view and window, and ViewChange for each view: a second one
 * with another payload is evidence, reported once. Forgotten with the view and below the low
 * watermark, so bounded by the window.
 */
final class Equivocations {
  private record Key(String messageType, String replica, long view, long sequence) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int order = Long.compare(view, other.view);
      order = order != 0 ? order : Long.compare(sequence, other.sequence);
      order = order != 0 ? order : messageType.compareTo(other.messageType);
      return order != 0 ? order : replica.compareTo(other.replica);
    }
  }

  private final TreeMap<Key, PbftMessage.Signed> first = new TreeMap<>();
  private final TreeSet<Key> reported = new TreeSet<>();

  /** Evidence when {@code message} conflicts with the first one seen for its key; else null. */
  Evidence observe(PbftMessage.Signed message, long view, long sequence) {
    Key key = new Key(message.messageType(), message.replica(), view, sequence);
    PbftMessage.Signed known = first.putIfAbsent(key, message);
    if (known == null || known.equals(message)) {
      return null;
    }
    byte[] knownPayload = known.payload();
    byte[] payload = message.payload();
    if (java.util.Arrays.equals(knownPayload, payload) || !reported.add(key)) {
      return null;
    }
    return new Evidence(message.replica(), message.messageType(), view, sequence, ByteString.copyFrom(knownPayload),
        known.signature(), ByteString.copyFrom(payload), message.signature());
  }

  void forgetViewsBelow(long view) {
    first.keySet().removeIf(key -> key.view() < view);
    reported.removeIf(key -> key.view() < view);
  }

  void forgetSequencesBelow(long sequence) {
    first.keySet().removeIf(key -> key.sequence() < sequence && !key.messageType().equals(PbftMessage.VIEW_CHANGE));
    reported.removeIf(key -> key.sequence() < sequence && !key.messageType().equals(PbftMessage.VIEW_CHANGE));
  }
}
