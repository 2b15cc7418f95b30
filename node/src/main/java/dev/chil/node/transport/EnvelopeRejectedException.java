package dev.chil.node.transport;

/** An inbound envelope that must be dropped, with the reason and a message naming the problem. */
final class EnvelopeRejectedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final EnvelopeRejection reason;

  EnvelopeRejectedException(EnvelopeRejection reason, String message) {
    super(message);
    this.reason = reason;
  }

  EnvelopeRejection reason() {
    return reason;
  }
}
