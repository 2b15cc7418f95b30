package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.transport.PeerTransport;
import dev.chil.proto.v1.ForwardRequest;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Hands a client's proposal or read to the leader over the peer channel, and brings back its
 * answer. Cancelling the returned future cancels the forward, so a call that moves on to a new
 * leader leaves nothing waiting on the old one.
 */
final class Forwarder {
  private final PeerTransport transport;

  Forwarder(PeerTransport transport) {
    this.transport = transport;
  }

  CompletableFuture<ProposeResponse> forward(String leader, Command command, Deadline deadline) {
    ForwardRequest request = ForwardRequest.newBuilder().setCommand(CommonCodec.toProto(command)).build();
    return call(leader, observer -> stub(leader, deadline).forward(request, observer));
  }

  CompletableFuture<ReadResponse> forwardRead(String leader, String key, Deadline deadline) {
    ReadRequest request = ReadRequest.newBuilder().setKey(key).build();
    return call(leader, observer -> stub(leader, deadline).forwardRead(request, observer));
  }

  private PeerServiceGrpc.PeerServiceStub stub(String leader, Deadline deadline) {
    return PeerServiceGrpc.newStub(transport.channel(leader)).withDeadline(deadline);
  }

  /** Starts the call in a context of its own (not the client's), which the answer's completion cancels. */
  private static <T> CompletableFuture<T> call(String leader, Consumer<StreamObserver<T>> start) {
    Context.CancellableContext context = Context.ROOT.withCancellation();
    CompletableFuture<T> answer = new CompletableFuture<>();
    answer.whenComplete((value, error) -> context.cancel(null));
    try {
      context.run(() -> start.accept(completing(answer, leader)));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> answer, String leader) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T response) {
        answer.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        answer.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException(leader + " answered nothing"));
      }
    };
  }
}
