package dev.chil.node.transport;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Answers a unary gRPC call from a future: its value, or its failure mapped to a status. */
public final class GrpcReplies {
  private GrpcReplies() {}

  public static <T> void reply(CompletableFuture<T> future, StreamObserver<T> response,
      Function<Throwable, StatusRuntimeException> toStatus) {
    future.whenComplete((value, error) -> {
      if (error == null) {
        response.onNext(value);
        response.onCompleted();
      } else {
        response.onError(toStatus.apply(unwrap(error)));
      }
    });
  }

  /** The cause a CompletableFuture stage wrapped, or the error itself. */
  public static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
