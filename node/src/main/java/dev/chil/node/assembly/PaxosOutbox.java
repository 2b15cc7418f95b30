package dev.chil.node.assembly;

import dev.chil.node.codec.PaxosCodec;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.transport.PeerTransport;
import java.util.List;

/**
 * Encodes the Paxos core's messages for the wire and hands them to the transport to sign and
 * send; a request to serve catch-up from the audit log goes to the {@link AuditCatchUpServer}.
 */
final class PaxosOutbox implements Outbox {
  private final PeerTransport transport;
  private final AuditCatchUpServer catchUp;

  PaxosOutbox(PeerTransport transport, AuditCatchUpServer catchUp) {
    this.transport = transport;
    this.catchUp = catchUp;
  }

  @Override
  public void send(List<String> peers, PeerMessage message) {
    if (message instanceof CatchUpFromAudit request) {
      catchUp.serve(peers, request);
      return;
    }
    PaxosCodec.Encoded encoded = PaxosCodec.encode((PaxosMessage) message);
    transport.send(peers, encoded.messageType(), encoded.payload());
  }
}
