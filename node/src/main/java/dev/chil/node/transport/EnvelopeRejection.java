package dev.chil.node.transport;

/** Why an inbound peer envelope was dropped. Counted per reason; each is a security event. */
public enum EnvelopeRejection {
  /** The envelope names a sender other than the node of the TLS certificate it arrived on. */
  SENDER_MISMATCH,
  /** The TLS certificate is a node of the cluster, but not one in the roster. */
  NOT_IN_ROSTER,
  /** The message type is malformed, or larger than allowed. */
  MALFORMED,
  /** The signature does not verify with the sender's key over these bytes. */
  BAD_SIGNATURE,
  /** The inbound queue was full: the driver is behind, and protocols retransmit. */
  QUEUE_FULL
}
