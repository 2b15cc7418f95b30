package dev.chil.node.assembly;

import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Replica;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.DurableStore;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.transport.ClientKeys;
import dev.chil.node.transport.InboundSink;
import dev.chil.node.transport.PeerTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything of a node that depends on which protocol runs: the core and its settings, its state
 * store, how its messages go onto and come off the wire, its tick, what its status says, and
 * whether clients must sign their requests. {@link ConsensusNode} wires the rest the same way for
 * both; {@link #of} is the one place that looks at {@code protocol.type}.
 *
 * <p>Used in this order: {@link #open}, then {@link #replica}, {@link #store}, {@link #outbox},
 * {@link #inbound}; {@link #close} after the driver stopped.
 */
interface ProtocolCore extends AutoCloseable {

  static ProtocolCore of(NodeConfig config) {
    switch (config.protocol().type()) {
      case PAXOS:
        return new PaxosProtocol(config);
      case PBFT:
        return new PbftProtocol(config);
      default:
        throw new AssertionError("no core for protocol " + config.protocol().type());
    }
  }

  /**
   * Opens {@code data_dir/state.db}, reads it and builds the core from it.
   *
   * @return the decisions the store holds, in slot order, for {@link Recovery} to bring the audit
   *     log and the state machine up to
   */
  List<Decision> open(Path dataDir, ClusterRoster roster, Credentials credentials, ClusterTrust trust, Clock clock)
      throws NodeStartException;

  Replica replica();

  DurableStore store();

  /** Encodes the core's messages for the transport; may serve catch-up from the audit log. */
  Outbox outbox(PeerTransport transport, AuditLog audit, String nodeId);

  /** Decodes authenticated peer messages (on gRPC threads) for the driver. */
  InboundSink inbound(Driver driver);

  /** The driver's tick: the core's unit of time. */
  Duration tick();

  /** On the driver thread: the core as status, health and metrics show it. */
  CoreStatus status(Replica replica);

  /**
   * The keys that check clients' request signatures, when the core takes only requests their
   * clients signed (pbft); empty when a command rides on the client's TLS identity alone (paxos).
   */
  Optional<ClientKeys> clientKeys();

  /** Closes the state store; after the driver stopped. */
  @Override
  void close();
}
