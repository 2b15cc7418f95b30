package dev.chil.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.proto.v1.PaxosPayload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaxosCodecTest {
  private static final List<String> TYPES = List.of(
      PaxosCodec.PREPARE, PaxosCodec.PROMISE, PaxosCodec.ACCEPT, PaxosCodec.ACCEPTED, PaxosCodec.DECIDE,
      PaxosCodec.NACK, PaxosCodec.HEARTBEAT, PaxosCodec.CATCH_UP_REQUEST, PaxosCodec.CATCH_UP_REPLY);
  private static final long[] SEEDS = {1, 2, 3, 42, 20261124};
  private static final int FUZZ_CASES_PER_TYPE = 3000;

  @Test
  void everyVariantRoundTripsUnderItsOwnType() {
    for (long seed : SEEDS) {
      List<PaxosMessage> messages = new PaxosSamples(seed).everyVariant();
      assertThat(messages).hasSize(PaxosMessage.class.getPermittedSubclasses().length);
      for (int i = 0; i < messages.size(); i++) {
        PaxosMessage message = messages.get(i);
        PaxosCodec.Encoded encoded = PaxosCodec.encode(message);
        assertThat(encoded.messageType()).as("seed %d", seed).isEqualTo(TYPES.get(i))
            .isEqualTo("paxos." + message.getClass().getSimpleName());
        assertThat(PaxosCodec.decode(encoded.messageType(), encoded.payload())).as("seed %d", seed).isEqualTo(message);
      }
    }
  }

  @Test
  void emptyAndFullListsRoundTrip() {
    PaxosSamples samples = new PaxosSamples(7);
    List<PaxosMessage> messages = List.of(
        new PaxosMessage.Promise(Ballot.ZERO, 0, List.of()),
        new PaxosMessage.Promise(samples.ballot(), 3, samples.acceptedEntries(PaxosMessage.ENTRIES_MAX)),
        new PaxosMessage.Accept(samples.ballot(), 0, List.of()),
        new PaxosMessage.Accept(samples.ballot(), 5, samples.commands(PaxosMessage.COMMANDS_MAX)),
        new PaxosMessage.Accepted(samples.ballot(), 0, samples.bytes(32), ByteString.EMPTY),
        new PaxosMessage.CatchUpRequest(0),
        new PaxosMessage.CatchUpReply(List.of()));
    for (PaxosMessage message : messages) {
      PaxosCodec.Encoded encoded = PaxosCodec.encode(message);
      assertThat(PaxosCodec.decode(encoded.messageType(), encoded.payload())).isEqualTo(message);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chil.vote.v1", "paxos.Unknown", "paxos.prepare", "pbft.PbftPrepare", "", "Prepare"})
  void refusesAnUnknownType(String messageType) {
    ByteString payload = PaxosCodec.encode(new PaxosMessage.CatchUpRequest(1)).payload();
    assertRefused(messageType, payload, "unknown paxos message type");
  }

  @Test
  void refusesANullTypeOrPayload() {
    assertRefused(null, ByteString.EMPTY, "unknown paxos message type (none)");
    assertRefused(PaxosCodec.PREPARE, null, "without a payload");
  }

  @Test
  void quotesAnUnknownTypeShortAndWithoutControlCharacters() {
    String forged = "paxos.X\nWARN forged log line " + "x".repeat(500);
    assertThatThrownBy(() -> PaxosCodec.decode(forged, ByteString.EMPTY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(120));
  }

  @Test
  void refusesAPayloadOfOneTypeUnderAnother() {
    List<PaxosMessage> messages = new PaxosSamples(11).everyVariant();
    // The shapes that would otherwise be read as each other: same fields, or both empty.
    List<PaxosMessage> lookalikes = List.of(
        new PaxosMessage.Prepare(new Ballot(1, "n1"), 0), new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 0),
        new PaxosMessage.CatchUpRequest(0), new PaxosMessage.CatchUpReply(List.of()));
    for (PaxosMessage message : concat(messages, lookalikes)) {
      PaxosCodec.Encoded encoded = PaxosCodec.encode(message);
      for (String other : TYPES) {
        if (!other.equals(encoded.messageType())) {
          assertRefused(other, encoded.payload(), other + " payload holds " + encoded.messageType());
        }
      }
    }
  }

  @Test
  void refusesGarbage() {
    assertRefused(PaxosCodec.PREPARE, ByteString.EMPTY, "payload holds no message");
    assertRefused(PaxosCodec.ACCEPT, ByteString.copyFromUtf8("not a protobuf at all"), "unparsable paxos.Accept");
    assertRefused(PaxosCodec.DECIDE, ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}),
        "unparsable paxos.Decide");
    // A length that runs past the end.
    assertRefused(PaxosCodec.PROMISE, ByteString.copyFrom(new byte[] {0x12, 0x7f, 0x01}), "unparsable paxos.Promise");
  }

  @Test
  void refusesInvalidUtf8InAString() {
    dev.chil.proto.v1.Ballot ballot = dev.chil.proto.v1.Ballot.newBuilder().setRound(1).setNode("n1").build();
    byte[] bytes = payload(PaxosPayload.newBuilder()
        .setHeartbeat(dev.chil.proto.v1.Heartbeat.newBuilder().setBallot(ballot))).toByteArray();
    // The payload ends with the node name "n1": make it an invalid UTF-8 sequence.
    bytes[bytes.length - 2] = (byte) 0xc3;
    bytes[bytes.length - 1] = (byte) 0x28;
    assertRefused(PaxosCodec.HEARTBEAT, ByteString.copyFrom(bytes), "unparsable paxos.Heartbeat");
  }

  @Test
  void refusesUint64ValuesAboveLongMax() {
    dev.chil.proto.v1.Ballot ballot = dev.chil.proto.v1.Ballot.newBuilder().setRound(1).setNode("n1").build();
    for (long wire : new long[] {Long.MIN_VALUE, -1L}) {
      String shown = Long.toUnsignedString(wire);
      assertRefused(PaxosCodec.PREPARE, payload(PaxosPayload.newBuilder().setPrepare(
          dev.chil.proto.v1.Prepare.newBuilder().setBallot(ballot).setFromSlot(wire))), "from slot " + shown);
      assertRefused(PaxosCodec.ACCEPT, payload(PaxosPayload.newBuilder().setAccept(
          dev.chil.proto.v1.Accept.newBuilder().setBallot(ballot).setSlot(wire))), "slot " + shown);
      assertRefused(PaxosCodec.CATCH_UP_REQUEST, payload(PaxosPayload.newBuilder().setCatchUpRequest(
          dev.chil.proto.v1.CatchUpRequest.newBuilder().setFromSlot(wire))), "from slot " + shown);
      assertRefused(PaxosCodec.HEARTBEAT, payload(PaxosPayload.newBuilder().setHeartbeat(
          dev.chil.proto.v1.Heartbeat.newBuilder().setBallot(ballot.toBuilder().setRound(wire)))),
          "ballot round " + shown);
      dev.chil.proto.v1.Decide decide = decideProto(new PaxosSamples(3).decide(5));
      assertRefused(PaxosCodec.DECIDE, payload(PaxosPayload.newBuilder().setDecide(decide.toBuilder()
          .setCertificate(decide.getCertificate().toBuilder().setSlot(wire)))), "certificate slot " + shown);
      assertRefused(PaxosCodec.PROMISE, payload(PaxosPayload.newBuilder().setPromise(
          dev.chil.proto.v1.Promise.newBuilder().setBallot(ballot)
              .addAccepted(dev.chil.proto.v1.AcceptedEntry.newBuilder().setBallot(ballot).setSlot(wire)))),
          "accepted slot " + shown);
    }
  }

  @Test
  void refusesOversizeLists() {
    PaxosSamples samples = new PaxosSamples(5);
    dev.chil.proto.v1.Ballot ballot = PaxosMessageProtos.toProto(samples.ballot());
    dev.chil.proto.v1.Command command = CommonCodec.toProto(samples.command());
    assertRefused(PaxosCodec.ACCEPT, payload(PaxosPayload.newBuilder().setAccept(dev.chil.proto.v1.Accept.newBuilder()
        .setBallot(ballot).addAllCommands(Collections.nCopies(PaxosMessage.COMMANDS_MAX + 1, command)))),
        "at most " + PaxosMessage.COMMANDS_MAX + " commands");
    dev.chil.proto.v1.AcceptedEntry entry = PaxosMessageProtos.toProto(samples.acceptedEntry(1));
    assertRefused(PaxosCodec.PROMISE, payload(PaxosPayload.newBuilder().setPromise(dev.chil.proto.v1.Promise.newBuilder()
        .setBallot(ballot).addAllAccepted(Collections.nCopies(PaxosMessage.ENTRIES_MAX + 1, entry)))),
        "at most " + PaxosMessage.ENTRIES_MAX + " accepted entries");
    dev.chil.proto.v1.Decide decide = decideProto(samples.decide(1));
    assertRefused(PaxosCodec.CATCH_UP_REPLY, payload(PaxosPayload.newBuilder().setCatchUpReply(
        dev.chil.proto.v1.CatchUpReply.newBuilder()
            .addAllDecisions(Collections.nCopies(PaxosMessage.ENTRIES_MAX + 1, decide)))),
        "at most " + PaxosMessage.ENTRIES_MAX + " decisions");
    dev.chil.proto.v1.Vote vote = dev.chil.proto.v1.Vote.newBuilder().setSigner("n1").build();
    assertRefused(PaxosCodec.DECIDE, payload(PaxosPayload.newBuilder().setDecide(decide.toBuilder().setCertificate(
        decide.getCertificate().toBuilder().addAllVotes(Collections.nCopies(CommonCodec.VOTES_MAX + 1, vote))))),
        "at most " + CommonCodec.VOTES_MAX + " votes");
  }

  @Test
  void refusesMissingPartsAndValuesTheRecordsRefuse() {
    PaxosSamples samples = new PaxosSamples(9);
    dev.chil.proto.v1.Ballot ballot = PaxosMessageProtos.toProto(samples.ballot());
    assertRefused(PaxosCodec.PREPARE, payload(PaxosPayload.newBuilder()
        .setPrepare(dev.chil.proto.v1.Prepare.newBuilder().setFromSlot(3))), "missing ballot");
    assertRefused(PaxosCodec.NACK, payload(PaxosPayload.newBuilder()
        .setNack(dev.chil.proto.v1.Nack.newBuilder().setBallot(ballot))), "missing promised ballot");
    assertRefused(PaxosCodec.DECIDE, payload(PaxosPayload.newBuilder()
        .setDecide(dev.chil.proto.v1.Decide.newBuilder().setSlot(3))), "without a certificate");
    assertRefused(PaxosCodec.ACCEPTED, payload(PaxosPayload.newBuilder().setAccepted(dev.chil.proto.v1.Accepted
        .newBuilder().setBallot(ballot).setDigest(samples.bytes(31)))), "digest must be 32 bytes, not 31");
    // Round 1 needs a node; only ballot ZERO has none.
    assertRefused(PaxosCodec.HEARTBEAT, payload(PaxosPayload.newBuilder().setHeartbeat(dev.chil.proto.v1.Heartbeat
        .newBuilder().setBallot(ballot.toBuilder().setNode("")))), "only ballot ZERO");
    assertRefused(PaxosCodec.ACCEPT, payload(PaxosPayload.newBuilder().setAccept(dev.chil.proto.v1.Accept.newBuilder()
        .setBallot(ballot).addCommands(CommonCodec.toProto(samples.command()).toBuilder().setKey("")))), "key");
    dev.chil.proto.v1.Decide decide = decideProto(samples.decide(4));
    assertRefused(PaxosCodec.DECIDE, payload(PaxosPayload.newBuilder().setDecide(decide.toBuilder().setCertificate(
        decide.getCertificate().toBuilder().setDigest(ByteString.EMPTY)))), "digest must be");
  }

  /**
   * Random and mutated payloads under every type: decode either succeeds or refuses with an
   * IllegalArgumentException of its own making, never through the safety net.
   */
  @Test
  void fuzzedPayloadsDecodeOrAreRefusedWithIllegalArgumentOnly() {
    PaxosSamples samples = new PaxosSamples(20261124);
    Random random = samples.random();
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < FUZZ_CASES_PER_TYPE; round++) {
      List<PaxosMessage> messages = samples.everyVariant();
      for (int i = 0; i < messages.size(); i++) {
        byte[] valid = PaxosCodec.encode(messages.get(i)).payload().toByteArray();
        byte[] mutated = mutate(valid, random);
        String type = random.nextInt(10) == 0 ? TYPES.get(random.nextInt(TYPES.size())) : TYPES.get(i);
        try {
          PaxosMessage message = PaxosCodec.decode(type, ByteString.copyFrom(mutated));
          assertThat(PaxosCodec.encode(message).messageType()).isEqualTo(type);
          decoded++;
        } catch (IllegalArgumentException e) {
          assertThat(e.getMessage()).doesNotStartWith("cannot decode");
          assertOnlyExpectedCauses(e);
          refused++;
        } catch (RuntimeException e) {
          fail("type " + type + ", round " + round + ": " + e, e);
        }
      }
    }
    // Both outcomes must be exercised, or the mutations are too weak or too strong to test anything.
    assertThat(decoded).isGreaterThan(100);
    assertThat(refused).isGreaterThan(100);
  }

  private static byte[] mutate(byte[] valid, Random random) {
    List<UnaryOperator<byte[]>> mutations = List.of(
        bytes -> randomBytes(random, random.nextInt(64)),
        bytes -> flipByte(bytes, random),
        bytes -> flipByte(flipByte(flipByte(bytes, random), random), random),
        bytes -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length)),
        bytes -> insert(bytes, randomBytes(random, 1 + random.nextInt(8)), random),
        // A large varint where a length or a uint64 is expected.
        bytes -> insert(bytes, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f}, random));
    return mutations.get(random.nextInt(mutations.size())).apply(valid.clone());
  }

  private static byte[] flipByte(byte[] bytes, Random random) {
    if (bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return bytes;
  }

  private static byte[] insert(byte[] bytes, byte[] inserted, Random random) {
    int at = random.nextInt(bytes.length + 1);
    byte[] result = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
    return result;
  }

  private static byte[] randomBytes(Random random, int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void assertOnlyExpectedCauses(Throwable refusal) {
    for (Throwable cause = refusal.getCause(); cause != null; cause = cause.getCause()) {
      assertThat(cause).isInstanceOfAny(IllegalArgumentException.class, InvalidProtocolBufferException.class);
    }
  }

  private static void assertRefused(String messageType, ByteString payload, String messagePart) {
    assertThatThrownBy(() -> PaxosCodec.decode(messageType, payload))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  private static ByteString payload(PaxosPayload.Builder payload) {
    return payload.build().toByteString();
  }

  private static List<PaxosMessage> concat(List<PaxosMessage> first, List<PaxosMessage> second) {
    List<PaxosMessage> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /** The Decide proto of a record, through the codec's own mapping. */
  private static dev.chil.proto.v1.Decide decideProto(PaxosMessage.Decide decide) {
    return PaxosMessageProtos.toPayload(decide).getDecide();
  }
}
