package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.transport.PeerTransport;
import dev.chil.proto.v1.ForwardRequest;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Hands a client's proposal or read to the leader over the peer channel, and brings back its answer. */
final class Forwarder {
  private final PeerTransport transport;
  private final Duration timeout;

  Forwarder(PeerTransport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  CompletableFuture<ProposeResponse> forward(String leader, Command command) {
    CompletableFuture<ProposeResponse> answer = new CompletableFuture<>();
    stub(leader).forward(ForwardRequest.newBuilder().setCommand(CommonCodec.toProto(command)).build(),
        completing(answer, leader));
    return answer;
  }

  CompletableFuture<ReadResponse> forwardRead(String leader, String key) {
    CompletableFuture<ReadResponse> answer = new CompletableFuture<>();
    stub(leader).forwardRead(ReadRequest.newBuilder().setKey(key).build(), completing(answer, leader));
    return answer;
  }

  private PeerServiceGrpc.PeerServiceStub stub(String leader) {
    return PeerServiceGrpc.newStub(transport.channel(leader)).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
