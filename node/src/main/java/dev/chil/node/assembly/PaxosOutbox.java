package dev.chil.node.assembly;

import dev.chil.node.codec.PaxosCodec;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.transport.PeerTransport;
import java.util.List;

/** Encodes the Paxos core's messages for the wire and hands them to the transport to sign and send. */
final class PaxosOutbox implements Outbox {
  private final PeerTransport transport;

  PaxosOutbox(PeerTransport transport) {
    this.transport = transport;
  }

  @Override
  public void send(List<String> peers, PeerMessage message) {
    PaxosCodec.Encoded encoded = PaxosCodec.encode((PaxosMessage) message);
    transport.send(peers, encoded.messageType(), encoded.payload());
  }
}
