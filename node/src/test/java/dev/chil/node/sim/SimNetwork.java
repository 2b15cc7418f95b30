package dev.chil.node.sim;

import com.google.protobuf.ByteString;
import dev.chil.node.codec.PaxosCodec;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.paxos.PaxosMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Messages in flight between nodes, in their wire form (encoded by the production codec, decoded
 * on delivery), each delivered after a seeded delay; while faults are on, some are dropped and
 * some duplicated. Ties are broken by send order, so a seed replays exactly.
 */
final class SimNetwork {
  record InFlight(long deliverAtTick, long order, String from, String to, String messageType, ByteString payload) {
    PeerMessage message() {
      return PaxosCodec.decode(messageType, payload);
    }
  }

  private final SplittableRandom random;
  private final int delayTicksMax;
  private final double dropRate;
  private final double duplicateRate;
  private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
      Comparator.comparingLong(InFlight::deliverAtTick).thenComparingLong(InFlight::order));
  private boolean faulty = true;
  private long order;
  private long sent;
  private long dropped;

  SimNetwork(SplittableRandom random, int delayTicksMax, double dropRate, double duplicateRate) {
    this.random = random;
    this.delayTicksMax = delayTicksMax;
    this.dropRate = dropRate;
    this.duplicateRate = duplicateRate;
  }

  void send(long nowTick, String from, List<String> peers, PeerMessage message) {
    PaxosCodec.Encoded encoded = PaxosCodec.encode((PaxosMessage) message);
    for (String peer : peers) {
      sent++;
      if (faulty && random.nextDouble() < dropRate) {
        dropped++;
        continue;
      }
      int copies = faulty && random.nextDouble() < duplicateRate ? 2 : 1;
      for (int copy = 0; copy < copies; copy++) {
        inFlight.add(new InFlight(nowTick + 1 + random.nextInt(delayTicksMax), order++, from, peer,
            encoded.messageType(), encoded.payload()));
      }
    }
  }

  /** Everything due by {@code nowTick}, in delivery order. */
  List<InFlight> due(long nowTick) {
    List<InFlight> due = new ArrayList<>();
    while (!inFlight.isEmpty() && inFlight.peek().deliverAtTick() <= nowTick) {
      due.add(inFlight.poll());
    }
    return due;
  }

  void heal() {
    faulty = false;
  }

  long sent() {
    return sent;
  }

  long dropped() {
    return dropped;
  }
}
