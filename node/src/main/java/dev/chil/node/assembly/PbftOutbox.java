package dev.chil.node.assembly;

import dev.chil.node.codec.PbftCodec;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.transport.PeerTransport;
import java.util.List;

/** Encodes the PBFT core's messages for the wire and hands them to the transport to sign and send. */
final class PbftOutbox implements Outbox {
  private final PeerTransport transport;
  private final PbftCodec codec;

  PbftOutbox(PeerTransport transport, PbftCodec codec) {
    this.transport = transport;
    this.codec = codec;
  }

  @Override
  public void send(List<String> peers, PeerMessage message) {
    PbftCodec.Encoded encoded = codec.encode((PbftMessage) message);
    transport.send(peers, encoded.messageType(), encoded.payload());
  }
}
