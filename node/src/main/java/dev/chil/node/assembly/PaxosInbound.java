package dev.chil.node.assembly;

import dev.chil.node.codec.PaxosCodec;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.AuthenticatedMessage;
import dev.chil.node.transport.InboundSink;

/**
 * Decodes authenticated peer messages on the gRPC thread and queues them for the driver. A
 * transport heartbeat only tells the failure detector the peer is alive.
 */
final class PaxosInbound implements InboundSink {
  private final Driver driver;

  PaxosInbound(Driver driver) {
    this.driver = driver;
  }

  @Override
  public boolean offer(AuthenticatedMessage message) {
    if (message.messageType().equals(Heartbeats.MESSAGE_TYPE)) {
      return driver.heard(message.sender());
    }
    // Throws IllegalArgumentException on a malformed payload: the transport counts and drops it.
    return driver.offer(message.sender(), PaxosCodec.decode(message.messageType(), message.payload()));
  }
}
