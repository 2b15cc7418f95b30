package dev.chil.client;

import io.grpc.Status;

/**
 * A call that failed for good: the gRPC status the cluster gave (see client.proto for what each
 * code means), or the last one when the deadline ran out while retrying.
 */
public final class ChilClientException extends Exception {
  private final Status.Code code;

  ChilClientException(String message, Status.Code code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }
}
