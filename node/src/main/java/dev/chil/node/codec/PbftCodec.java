package dev.chil.node.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.proto.v1.PbftPayload;
import dev.chil.proto.v1.PbftPayload.BodyCase;
import java.util.Map;
import java.util.Objects;

/**
 * PBFT messages to and from the (message type, payload) pair a signed peer envelope carries.
 *
 * <p>{@link #decode} runs on gRPC threads over bytes from an authenticated but possibly Byzantine
 * peer, so it throws nothing but {@link IllegalArgumentException}, whose message names the
 * problem; the transport drops and counts such messages. The payload is a {@code PbftPayload}
 * whose oneof must hold the message the type names. Decoding checks shapes and bounds only: the
 * signatures inside are the core's to check.
 */
public final class PbftCodec {
  public static final String REQUEST = "pbft.Request";
  public static final String PRE_PREPARE = "pbft.PrePrepare";
  public static final String PREPARE = "pbft.Prepare";
  public static final String COMMIT = "pbft.Commit";
  public static final String CHECKPOINT = "pbft.Checkpoint";
  public static final String VIEW_CHANGE = "pbft.ViewChange";
  public static final String NEW_VIEW = "pbft.NewView";
  public static final String FETCH_REQUEST = "pbft.FetchRequest";
  public static final String FETCH_REPLY = "pbft.FetchReply";

  /** Lookup only, never iterated, so hash order cannot leak into behaviour. */
  private static final Map<String, BodyCase> BODY_BY_TYPE = Map.of(
      REQUEST, BodyCase.REQUEST,
      PRE_PREPARE, BodyCase.PRE_PREPARE,
      PREPARE, BodyCase.PREPARE,
      COMMIT, BodyCase.COMMIT,
      CHECKPOINT, BodyCase.CHECKPOINT,
      VIEW_CHANGE, BodyCase.VIEW_CHANGE,
      NEW_VIEW, BodyCase.NEW_VIEW,
      FETCH_REQUEST, BodyCase.FETCH_REQUEST,
      FETCH_REPLY, BodyCase.FETCH_REPLY);

  private static final int QUOTED_CHARS_MAX = 64;

  private final PbftMessageProtos protos;

  public PbftCodec(ClientCertificates certificates) {
    this.protos = new PbftMessageProtos(certificates);
  }

  /** What a signed peer envelope carries: {@code messageType} is signed along with the payload. */
  public record Encoded(String messageType, ByteString payload) {
    public Encoded {
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(payload, "payload");
    }
  }

  public Encoded encode(PbftMessage message) {
    PbftPayload payload = protos.toPayload(message);
    return new Encoded(typeOf(payload.getBodyCase()), payload.toByteString());
  }

  /**
   * @throws IllegalArgumentException for an unknown type, bytes that do not parse, a payload
   *     holding another message than the type names, values the records or bounds refuse, or a
   *     client certificate that is not one of the cluster's for its request's client
   */
  public PbftMessage decode(String messageType, ByteString payload) {
    BodyCase expected = messageType == null ? null : BODY_BY_TYPE.get(messageType);
    if (expected == null) {
      throw new IllegalArgumentException("unknown pbft message type " + quote(messageType));
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
      // refused message; the cause keeps it visible (the fuzz test fails on it).
      throw new IllegalArgumentException("cannot decode " + messageType + ": " + e, e);
    }
  }

  private PbftMessage decodeKnown(String messageType, BodyCase expected, ByteString payload) {
    PbftPayload parsed;
    try {
      parsed = PbftPayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("unparsable " + messageType + " payload: " + e.getMessage(), e);
    }
    if (parsed.getBodyCase() != expected) {
      throw new IllegalArgumentException(messageType + " payload holds "
          + (parsed.getBodyCase() == BodyCase.BODY_NOT_SET ? "no message" : typeOf(parsed.getBodyCase())));
    }
    try {
      return protos.fromPayload(parsed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad " + messageType + ": " + e.getMessage(), e);
    }
  }

  /** True for the message types this codec reads. */
  public static boolean handles(String messageType) {
    return messageType != null && BODY_BY_TYPE.containsKey(messageType);
  }

  private static String typeOf(BodyCase body) {
    switch (body) {
      case REQUEST: return REQUEST;
      case PRE_PREPARE: return PRE_PREPARE;
      case PREPARE: return PREPARE;
      case COMMIT: return COMMIT;
      case CHECKPOINT: return CHECKPOINT;
      case VIEW_CHANGE: return VIEW_CHANGE;
      case NEW_VIEW: return NEW_VIEW;
      case FETCH_REQUEST: return FETCH_REQUEST;
      case FETCH_REPLY: return FETCH_REPLY;
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
      shown.append(Character.isISOControl(c) ? '?' : c);
    }
    return shown.append(text.length() > QUOTED_CHARS_MAX ? "'…" : "'").toString();
  }
}
