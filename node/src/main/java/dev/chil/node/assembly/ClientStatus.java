package dev.chil.node.assembly;

import dev.chil.node.runtime.NodeUnavailableException;
import dev.chil.node.runtime.ResultForgottenException;
import dev.chil.node.transport.GrpcReplies;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * The gRPC status a client gets for each way a call can fail, chosen so that a client can act on
 * the code alone: UNAVAILABLE only where the same call can succeed if retried. The table of codes
 * is in {@code client.proto}.
 */
final class ClientStatus {
  /** Codes a leader's answer to a forward keeps on its way back to the client: they mean the same there. */
  private static final Set<Status.Code> PASSED_ON = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED,
      Status.Code.DEADLINE_EXCEEDED, Status.Code.ALREADY_EXISTS);

  private ClientStatus() {}

  static StatusRuntimeException of(Throwable error) {
    Throwable cause = GrpcReplies.unwrap(error);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof NodeUnavailableException unavailable) {
      Status code = switch (unavailable.reason()) {
        case NOT_LEADER, STOPPED -> Status.UNAVAILABLE;
        case BUSY -> Status.RESOURCE_EXHAUSTED;
      };
      return code.withDescription(cause.getMessage()).asRuntimeException();
    }
    if (cause instanceof ResultForgottenException) {
      return Status.ALREADY_EXISTS.withDescription(cause.getMessage()).asRuntimeException();
    }
    if (cause instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription("not answered in time").asRuntimeException();
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException();
    }
    return Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asRuntimeException();
  }

  /**
   * Whether a forward that failed so may succeed at the leader this node learns of next: the
   * leader was unreachable, stopping, or no longer leads.
   */
  static boolean retryable(Throwable error) {
    Throwable cause = GrpcReplies.unwrap(error);
    if (cause instanceof StatusRuntimeException status) {
      Status.Code code = status.getStatus().getCode();
      return code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED;
    }
    return false;
  }

  /**
   * What the client hears when a forward to {@code leader} failed for good. Codes that mean the
   * same to the client pass on; anything else (the leader refused this node, say) is this
   * cluster's fault, not the client's: INTERNAL, naming the leader.
   */
  static StatusRuntimeException ofForward(String leader, Throwable error) {
    Throwable cause = GrpcReplies.unwrap(error);
    if (cause instanceof StatusRuntimeException status && PASSED_ON.contains(status.getStatus().getCode())) {
      return status;
    }
    StatusRuntimeException status = of(cause);
    return Status.INTERNAL.withDescription("forwarding to the leader " + leader + " failed: "
        + status.getStatus().getCode() + ": " + status.getStatus().getDescription()).asRuntimeException();
  }
}
