package dev.chil.node.assembly;

import dev.chil.audit.Command;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.transport.PeerTransport;
import dev.chil.proto.v1.ForwardRequest;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Hands a client's proposal to the leader over the peer channel, and brings back its answer. */
final class Forwarder {
  private final PeerTransport transport;
  private final Duration timeout;

  Forwarder(PeerTransport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  CompletableFuture<ProposeResponse> forward(String leader, Command command) {
    CompletableFuture<ProposeResponse> answer = new CompletableFuture<>();
    PeerServiceGrpc.newStub(transport.channel(leader))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .forward(ForwardRequest.newBuilder().setCommand(CommonCodec.toProto(command)).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(ProposeResponse response) {
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
            });
    return answer;
  }
}
