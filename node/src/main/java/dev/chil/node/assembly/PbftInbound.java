package dev.chil.node.assembly;

import dev.chil.node.codec.PbftCodec;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.AuthenticatedMessage;
import dev.chil.node.transport.InboundSink;

/**
 * Decodes authenticated PBFT messages on the gRPC thread (checking the client certificates they
 * carry) and queues them for the driver. A transport heartbeat only tells the failure detector the
 * peer is alive.
 */
final class PbftInbound implements InboundSink {
  private final Driver driver;
  private final PbftCodec codec;

  PbftInbound(Driver driver, PbftCodec codec) {
    this.driver = driver;
    this.codec = codec;
  }

  @Override
  public boolean offer(AuthenticatedMessage message) {
    if (message.messageType().equals(Heartbeats.MESSAGE_TYPE)) {
      return driver.heard(message.sender());
    }
    // Throws IllegalArgumentException on a malformed payload: the transport counts and drops it.
    return driver.offer(message.sender(), codec.decode(message.messageType(), message.payload()));
  }
}
