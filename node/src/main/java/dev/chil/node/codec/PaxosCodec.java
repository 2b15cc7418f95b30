package dev.chil.node.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.proto.v1.PaxosPayload;
import dev.chil.proto.v1.PaxosPayload.BodyCase;
import java.util.Map;
import java.util.Objects;

/**
 * Paxos messages to and from the (message type, payload) pair a signed peer envelope carries.
 *
 * <p>{@link #decode} runs on gRPC threads over bytes from an authenticated but possibly faulty or
 * malicious peer, so it throws nothing but {@link IllegalArgumentException}, whose message names
 * the problem; the transport drops and counts such messages. The payload is a
 * {@code PaxosPayload} whose oneof must hold the message the type names: bytes of one message can
 * never be read as another.
 */
public final class PaxosCodec {
  public static final String PREPARE = "paxos.Prepare";
  public static final String PROMISE = "paxos.Promise";
  public static final String ACCEPT = "paxos.Accept";
  public static final String ACCEPTED = "paxos.Accepted";
  public static final String DECIDE = "paxos.Decide";
  public static final String NACK = "paxos.Nack";
  public static final String HEARTBEAT = "paxos.Heartbeat";
  public static final String CATCH_UP_REQUEST = "paxos.CatchUpRequest";
  public static final String CATCH_UP_REPLY = "paxos.CatchUpReply";

  /** Lookup only, never iterated, so hash order cannot leak into behaviour. */
  private static final Map<String, BodyCase> BODY_BY_TYPE = Map.of(
      PREPARE, BodyCase.PREPARE,
      PROMISE, BodyCase.PROMISE,
      ACCEPT, BodyCase.ACCEPT,
      ACCEPTED, BodyCase.ACCEPTED,
      DECIDE, BodyCase.DECIDE,
      NACK, BodyCase.NACK,
      HEARTBEAT, BodyCase.HEARTBEAT,
      CATCH_UP_REQUEST, BodyCase.CATCH_UP_REQUEST,
      CATCH_UP_REPLY, BodyCase.CATCH_UP_REPLY);

  /** How much of an unknown message type an error message quotes. */
  private static final int QUOTED_CHARS_MAX = 64;

  private PaxosCodec() {}

  /** What a signed peer envelope carries: {@code messageType} is signed along with the payload. */
  public record Encoded(String messageType, ByteString payload) {
    public Encoded {
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(payload, "payload");
    }
  }

  public static Encoded encode(PaxosMessage message) {
    PaxosPayload payload = PaxosMessageProtos.toPayload(message);
    return new Encoded(typeOf(payload.getBodyCase()), payload.toByteString());
  }

  /**
   * @throws IllegalArgumentException for an unknown type, bytes that do not parse, a payload
   *     holding another message than the type names, or values the records or bounds refuse
   */
  public static PaxosMessage decode(String messageType, ByteString payload) {
    BodyCase expected = messageType == null ? null : BODY_BY_TYPE.get(messageType);
    if (expected == null) {
      throw new IllegalArgumentException("unknown paxos message type " + quote(messageType));
    }
    if (payload == null) {
      throw new IllegalArgumentException(messageType + " without a payload");
    }
    try {
      return decodeKnown(messageType, expected, payload);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // A bug of ours or of a library must not escape onto a gRPC thread as anything but a
      // refused message; the cause keeps it visible (the codec's fuzz test fails on it).
      throw new IllegalArgumentException("cannot decode " + messageType + ": " + e, e);
    }
  }

  private static PaxosMessage decodeKnown(String messageType, BodyCase expected, ByteString payload) {
    PaxosPayload parsed;
    try {
      parsed = PaxosPayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("unparsable " + messageType + " payload: " + e.getMessage(), e);
    }
    if (parsed.getBodyCase() != expected) {
      throw new IllegalArgumentException(messageType + " payload holds "
          + (parsed.getBodyCase() == BodyCase.BODY_NOT_SET ? "no message" : typeOf(parsed.getBodyCase())));
    }
    try {
      return PaxosMessageProtos.fromPayload(parsed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad " + messageType + ": " + e.getMessage(), e);
    }
  }

  private static String typeOf(BodyCase body) {
    switch (body) {
      case PREPARE: return PREPARE;
      case PROMISE: return PROMISE;
      case ACCEPT: return ACCEPT;
      case ACCEPTED: return ACCEPTED;
      case DECIDE: return DECIDE;
      case NACK: return NACK;
      case HEARTBEAT: return HEARTBEAT;
      case CATCH_UP_REQUEST: return CATCH_UP_REQUEST;
      case CATCH_UP_REPLY: return CATCH_UP_REPLY;
      default: throw new AssertionError("no message type for " + body);
    }
  }

  private static String quote(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder shown = new StringBuilder("'");
    for (int i = 0; i < Math.min(text.length(), QUOTED_CHARS_MAX); i++) {
      char c = text.charAt(i);
      // Peer-chosen text goes into logs: no control characters, no forged log lines.
      shown.append(Character.isISOControl(c) ? '?' : c);
    }
    return shown.append(text.length() > QUOTED_CHARS_MAX ? "'…" : "'").toString();
  }
}
