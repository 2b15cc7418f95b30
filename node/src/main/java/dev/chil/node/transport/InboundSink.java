package dev.chil.node.transport;

/** Where authenticated peer messages go: the driver's bounded inbound queue. */
@FunctionalInterface
public interface InboundSink {
  /** @return false when full; the message is then dropped and counted, and the protocol retransmits */
  boolean offer(AuthenticatedMessage message);
}
