package dev.chil.node.transport;

import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.node.codec.CommonCodec;
import dev.chil.proto.v1.ForwardRequest;
import dev.chil.proto.v1.PeerAck;
import dev.chil.proto.v1.PeerEnvelope;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.ResultVoteReply;
import dev.chil.proto.v1.ResultVoteRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The inbound side of the peer transport: every envelope on a peer's stream is authenticated here,
 * on the gRPC thread, and only then handed to the driver. Registered behind an
 * {@link AuthenticatedIdentityInterceptor} that lets node certificates only.
 */
public final class PeerService extends PeerServiceGrpc.PeerServiceImplBase {
  /** The receiver acknowledges every this many envelopes, so the sender can see progress. */
  static final int ACK_EVERY = 128;

  private final EnvelopeAuthenticator authenticator;
  private final InboundSink sink;
  private final TransportCounters counters;
  private final Forwarded forwarded;
  private final Vouching vouching;

  /**
   * Where proposals and reads forwarded by a follower go: this node's own driver, never further.
   * A future failed with a {@link StatusRuntimeException} answers with that status.
   */
  public interface Forwarded {
    CompletableFuture<ProposeResponse> propose(Command command);

    CompletableFuture<ReadResponse> read(String key);
  }

  /**
   * What a pbft replica vouches for when the node a client called gathers votes: its signed
   * results of a slot, its signed answer to a read. Absent (UNIMPLEMENTED) in paxos.
   */
  public interface Vouching {
    CompletableFuture<ResultVoteReply> resultVote(long slot);

    CompletableFuture<ReadResponse> signedRead(String key);
  }

  public PeerService(EnvelopeAuthenticator authenticator, InboundSink sink, TransportCounters counters,
      Forwarded forwarded, Vouching vouching) {
    this.authenticator = authenticator;
    this.sink = sink;
    this.counters = counters;
    this.forwarded = forwarded;
    this.vouching = vouching;
  }

  @Override
  public void forward(ForwardRequest request, StreamObserver<ProposeResponse> response) {
    Identity peer = AuthenticatedIdentityInterceptor.currentIdentity();
    Command command;
    try {
      command = CommonCodec.fromProto(request.getCommand());
      Identity client = Identity.parse(command.client());
      if (client.role() != Role.CLIENT || !client.cluster().equals(peer.cluster())) {
        throw new IllegalArgumentException("a forwarded command must name a client of this cluster, not " + client);
      }
    } catch (IllegalArgumentException e) {
      counters.countRejected(peer.name(), EnvelopeRejection.MALFORMED, "forwarded proposal: " + e.getMessage());
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    GrpcReplies.reply(forwarded.propose(command), response, PeerService::toStatus);
  }

  @Override
  public void forwardRead(ReadRequest request, StreamObserver<ReadResponse> response) {
    GrpcReplies.reply(forwarded.read(request.getKey()), response, PeerService::toStatus);
  }

  @Override
  public void resultVote(ResultVoteRequest request, StreamObserver<ResultVoteReply> response) {
    if (vouching == null) {
      response.onError(Status.UNIMPLEMENTED.withDescription("this cluster does not vouch for results").asRuntimeException());
      return;
    }
    GrpcReplies.reply(endedWithTheCall(vouching.resultVote(request.getSlot())), response, PeerService::toStatus);
  }

  @Override
  public void signedRead(ReadRequest request, StreamObserver<ReadResponse> response) {
    if (vouching == null) {
      response.onError(Status.UNIMPLEMENTED.withDescription("this cluster does not sign reads").asRuntimeException());
      return;
    }
    GrpcReplies.reply(vouching.signedRead(request.getKey()), response, PeerService::toStatus);
  }

  /** A peer that stops waiting (deadline, cancel) ends the wait here too. */
  private static <T> CompletableFuture<T> endedWithTheCall(CompletableFuture<T> answer) {
    io.grpc.Context.current().addListener(context -> answer.cancel(false), Runnable::run);
    return answer;
  }

  /** The forwarded call's own status when it failed with one (its code tells the forwarding node what to do). */
  private static StatusRuntimeException toStatus(Throwable cause) {
    return cause instanceof StatusRuntimeException status
        ? status : Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
  }

  @Override
  public StreamObserver<PeerEnvelope> exchange(StreamObserver<PeerAck> acks) {
    Identity peer = AuthenticatedIdentityInterceptor.currentIdentity();
    return new StreamObserver<>() {
      private long received;

      @Override
      public void onNext(PeerEnvelope envelope) {
        received++;
        try {
          AuthenticatedMessage message = authenticator.open(peer, envelope);
          if (sink.offer(message)) {
            counters.countAccepted();
          } else {
            counters.countRejected(peer.name(), EnvelopeRejection.QUEUE_FULL, "inbound queue full");
          }
        } catch (EnvelopeRejectedException e) {
          counters.countRejected(peer.name(), e.reason(), e.getMessage());
        } catch (IllegalArgumentException e) {
          // Signed by a roster node, but not a message we can read: count it, drop it.
          counters.countRejected(peer.name(), EnvelopeRejection.MALFORMED, envelope.getMessageType() + ": " + e.getMessage());
        }
        if (received % ACK_EVERY == 0) {
          acks.onNext(PeerAck.newBuilder().setReceived(received).build());
        }
      }

      @Override
      public void onError(Throwable error) {
        // The peer went away or the connection broke; the peer's link reconnects.
      }

      @Override
      public void onCompleted() {
        acks.onNext(PeerAck.newBuilder().setReceived(received).build());
        acks.onCompleted();
      }
    };
  }
}
