package dev.chil.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.proto.v1.PbftPayload;
import dev.chil.proto.v1.PbftPrePrepare;
import dev.chil.proto.v1.PbftPreparedCertificate;
import dev.chil.proto.v1.SignedClientRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PbftCodecTest {
  private static final int FUZZ_CASES_PER_TYPE = 400;
  private static final List<String> TYPES = List.of(PbftCodec.REQUEST, PbftCodec.PRE_PREPARE, PbftCodec.PREPARE,
      PbftCodec.COMMIT, PbftCodec.CHECKPOINT, PbftCodec.VIEW_CHANGE, PbftCodec.NEW_VIEW, PbftCodec.FETCH_REQUEST,
      PbftCodec.FETCH_REPLY);

  /** Knows one certificate per client; refuses any certificate whose first byte is odd. */
  private static final class FakeCertificates implements ClientCertificates {
    final Map<String, ByteString> known = new TreeMap<>();

    @Override
    public ByteString certificateOf(String client) {
      return known.getOrDefault(client, ByteString.EMPTY);
    }

    @Override
    public void learn(String client, ByteString certificate) {
      if ((certificate.byteAt(0) & 1) == 1) {
        throw new IllegalArgumentException("certificate of " + client + " is not of the cluster CA");
      }
      known.put(client, certificate);
    }
  }

  private final PbftCodec codec = new PbftCodec(ClientCertificates.NONE);

  @Test
  void everyVariantRoundTripsUnderItsOwnType() {
    List<PbftMessage> messages = new PbftSamples(1).everyVariant();
    for (int i = 0; i < messages.size(); i++) {
      PbftCodec.Encoded encoded = codec.encode(messages.get(i));
      assertThat(encoded.messageType()).isEqualTo(TYPES.get(i));
      assertThat(codec.decode(encoded.messageType(), encoded.payload())).isEqualTo(messages.get(i));
    }
  }

  @Test
  void manySeedsRoundTrip() {
    for (long seed = 0; seed < 30; seed++) {
      for (PbftMessage message : new PbftSamples(seed).everyVariant()) {
        PbftCodec.Encoded encoded = codec.encode(message);
        assertThat(codec.decode(encoded.messageType(), encoded.payload())).as("seed %d", seed).isEqualTo(message);
      }
    }
  }

  @Test
  void aRequestCarriesItsClientsCertificateAndTheReceiverChecksIt() {
    PbftSamples samples = new PbftSamples(2);
    ClientRequest request = samples.request();
    FakeCertificates sender = new FakeCertificates();
    sender.known.put(request.command().client(), ByteString.copyFrom(new byte[] {2, 7, 7}));
    PbftCodec.Encoded encoded = new PbftCodec(sender).encode(new PbftMessage.Request(request));

    FakeCertificates receiver = new FakeCertificates();
    assertThat(new PbftCodec(receiver).decode(encoded.messageType(), encoded.payload()))
        .isEqualTo(new PbftMessage.Request(request));
    assertThat(receiver.certificateOf(request.command().client())).isEqualTo(ByteString.copyFrom(new byte[] {2, 7, 7}));

    sender.known.put(request.command().client(), ByteString.copyFrom(new byte[] {3}));
    PbftCodec.Encoded bad = new PbftCodec(sender).encode(new PbftMessage.Request(request));
    assertThatThrownBy(() -> new PbftCodec(new FakeCertificates()).decode(bad.messageType(), bad.payload()))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of the cluster CA");
  }

  @Test
  void refusesUnknownTypesAndNulls() {
    assertRefused("paxos.Prepare", ByteString.EMPTY, "unknown pbft message type 'paxos.Prepare'");
    assertRefused("pbft.\n" + "x".repeat(100), ByteString.EMPTY, "'pbft.?xxx");
    assertRefused(null, ByteString.EMPTY, "(none)");
    assertRefused(PbftCodec.COMMIT, null, "without a payload");
  }

  @Test
  void refusesAPayloadOfOneTypeUnderAnother() {
    PbftPayload commit = new PbftMessageProtos(ClientCertificates.NONE)
        .toPayload(PbftMessage.Commit.signed(new PbftSamples(3).signer(), 1, 2, ByteString.copyFrom(new byte[32])));
    assertRefused(PbftCodec.PREPARE, commit.toByteString(), "pbft.Prepare payload holds pbft.Commit");
    assertRefused(PbftCodec.PREPARE, ByteString.EMPTY, "holds no message");
    assertRefused(PbftCodec.PREPARE, ByteString.copyFrom(new byte[] {(byte) 0xff, 1}), "unparsable");
  }

  @Test
  void refusesMissingPartsValuesAboveLongMaxAndOversizeLists() {
    PbftMessage.PrePrepare prePrepare = new PbftSamples(4).prePrepare(1, 1);
    PbftPrePrepare valid = new PbftMessageProtos(ClientCertificates.NONE).toProto(prePrepare);
    assertRefused(PbftCodec.PRE_PREPARE, payload(PbftPayload.newBuilder().setPrePrepare(valid.toBuilder().setView(-1))),
        "view 18446744073709551615 is above");
    assertRefused(PbftCodec.PRE_PREPARE, payload(PbftPayload.newBuilder().setPrePrepare(
        valid.toBuilder().setDigest(ByteString.copyFrom(new byte[32])))), "digest does not match its batch");
    assertRefused(PbftCodec.PRE_PREPARE, payload(PbftPayload.newBuilder().setPrePrepare(
        valid.toBuilder().addBatch(SignedClientRequest.getDefaultInstance()))), "client request without a command");
    List<SignedClientRequest> many = new ArrayList<>();
    for (int i = 0; i <= PbftMessage.COMMANDS_MAX; i++) {
      many.add(SignedClientRequest.getDefaultInstance());
    }
    assertRefused(PbftCodec.PRE_PREPARE, payload(PbftPayload.newBuilder().setPrePrepare(
        valid.toBuilder().clearBatch().addAllBatch(many))), "at most 10000 requests");
    assertRefused(PbftCodec.VIEW_CHANGE, payload(PbftPayload.newBuilder().setViewChange(
        dev.chil.proto.v1.PbftViewChange.newBuilder().setReplica("n1").setStableDigest(ByteString.copyFrom(new byte[32]))
            .addPrepared(PbftPreparedCertificate.getDefaultInstance()))), "prepared certificate without a pre-prepare");
    assertRefused(PbftCodec.FETCH_REPLY, payload(PbftPayload.newBuilder().setFetchReply(
        dev.chil.proto.v1.PbftFetchReply.getDefaultInstance())), "without a stable checkpoint");
    assertRefused(PbftCodec.REQUEST, payload(PbftPayload.newBuilder().setRequest(
        dev.chil.proto.v1.PbftRequest.getDefaultInstance())), "without a client request");
    assertRefused(PbftCodec.COMMIT, payload(PbftPayload.newBuilder().setCommit(
        dev.chil.proto.v1.PbftCommit.newBuilder().setReplica("n1").setDigest(ByteString.copyFrom(new byte[5])))),
        "a digest is 32 bytes");
    assertRefused(PbftCodec.COMMIT, payload(PbftPayload.newBuilder().setCommit(
        dev.chil.proto.v1.PbftCommit.newBuilder().setDigest(ByteString.copyFrom(new byte[32])))), "names its replica");
  }

  /**
   * Random and mutated payloads under every type (with a certificate check that refuses some):
   * decode either succeeds or refuses with an IllegalArgumentException of its own making, never
   * through the safety net.
   */
  @Test
  void fuzzedPayloadsDecodeOrAreRefusedWithIllegalArgumentOnly() {
    PbftSamples samples = new PbftSamples(20261201);
    Random random = samples.random();
    FakeCertificates certificates = new FakeCertificates();
    PbftCodec fuzzed = new PbftCodec(certificates);
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < FUZZ_CASES_PER_TYPE; round++) {
      List<PbftMessage> messages = samples.everyVariant();
      for (int i = 0; i < messages.size(); i++) {
        for (ClientRequest request : requestsIn(messages.get(i))) {
          byte[] certificate = new byte[1 + random.nextInt(4)];
          random.nextBytes(certificate);
          certificate[0] &= (byte) 0xfe;
          certificates.known.put(request.command().client(), ByteString.copyFrom(certificate));
        }
        byte[] valid = fuzzed.encode(messages.get(i)).payload().toByteArray();
        byte[] mutated = mutate(valid, random);
        String type = random.nextInt(10) == 0 ? TYPES.get(random.nextInt(TYPES.size())) : TYPES.get(i);
        try {
          PbftMessage message = fuzzed.decode(type, ByteString.copyFrom(mutated));
          assertThat(fuzzed.encode(message).messageType()).isEqualTo(type);
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
    assertThat(decoded).isGreaterThan(200);
    assertThat(refused).isGreaterThan(200);
  }

  private static List<ClientRequest> requestsIn(PbftMessage message) {
    if (message instanceof PbftMessage.Request request) {
      return List.of(request.request());
    }
    if (message instanceof PbftMessage.PrePrepare prePrepare) {
      return prePrepare.batch();
    }
    return List.of();
  }

  private static byte[] mutate(byte[] valid, Random random) {
    List<UnaryOperator<byte[]>> mutations = List.of(
        bytes -> randomBytes(random, random.nextInt(64)),
        bytes -> flipByte(bytes, random),
        bytes -> flipByte(flipByte(flipByte(bytes, random), random), random),
        bytes -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length)),
        bytes -> insert(bytes, randomBytes(random, 1 + random.nextInt(8)), random),
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

  private void assertRefused(String messageType, ByteString payload, String messagePart) {
    assertThatThrownBy(() -> codec.decode(messageType, payload))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  private static ByteString payload(PbftPayload.Builder payload) {
    return payload.build().toByteString();
  }
}
