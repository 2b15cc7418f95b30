package dev.chil.node.policy;

import java.util.Objects;

/**
 * Why a client's call is refused, and for a throttled one, when it may try again.
 *
 * @param retryAfterMillis for {@link Reason#THROTTLED}: when the bucket that refused it holds a token again; else 0
 */
public record Refusal(Reason reason, String detail, long retryAfterMillis) {
  public enum Reason {
    /** The certificate is on the deny list: UNAUTHENTICATED. */
    CERTIFICATE_DENIED,
    /** Over the client's own rate, or all clients': RESOURCE_EXHAUSTED with a retry hint. */
    THROTTLED,
    /** No access rule lets the client do this to this key: PERMISSION_DENIED. */
    ACCESS_DENIED,
    /** Larger than the policy's sizes: INVALID_ARGUMENT. */
    TOO_LARGE
  }

  public Refusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    if (retryAfterMillis < 0 || (reason != Reason.THROTTLED && retryAfterMillis != 0)) {
      throw new IllegalArgumentException("only a throttled call has a retry hint, and it is not negative");
    }
  }

  static Refusal of(Reason reason, String detail) {
    return new Refusal(reason, detail, 0);
  }
}
