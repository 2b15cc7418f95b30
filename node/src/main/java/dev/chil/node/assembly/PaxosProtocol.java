package dev.chil.node.assembly;

import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Replica;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.DurableStore;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.storage.PaxosStateStore;
import dev.chil.node.storage.StorageException;
import dev.chil.node.transport.ClientKeys;
import dev.chil.node.transport.InboundSink;
import dev.chil.node.transport.PeerTransport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Multi-Paxos in a node: {@link PaxosReplica}, {@link PaxosStateStore}, the paxos codec, catch-up from the audit log. */
final class PaxosProtocol implements ProtocolCore {
  private final NodeConfig config;
  private PaxosStateStore store;
  private PaxosReplica replica;
  private AuditCatchUpServer catchUp;

  PaxosProtocol(NodeConfig config) {
    this.config = config;
  }

  @Override
  public List<Decision> open(Path dataDir, ClusterRoster roster, Credentials credentials, ClusterTrust trust,
      Clock clock) throws NodeStartException {
    try {
      store = PaxosStateStore.open(dataDir.resolve("state.db"));
      PaxosStorageState stored = store.load();
      replica = new PaxosReplica(PaxosSettings.from(config, roster.roster(), new SecureRandom().nextLong()),
          credentials.signer(), roster.verifier(), stored);
      return stored.delivered();
    } catch (StorageException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  @Override
  public Replica replica() {
    return replica;
  }

  @Override
  public DurableStore store() {
    return store::persist;
  }

  @Override
  public Outbox outbox(PeerTransport transport, AuditLog audit, String nodeId) {
    catchUp = new AuditCatchUpServer(audit, transport, nodeId);
    return new PaxosOutbox(transport, catchUp);
  }

  @Override
  public InboundSink inbound(Driver driver) {
    return new PaxosInbound(driver);
  }

  @Override
  public Duration tick() {
    return PaxosSettings.TICK;
  }

  @Override
  public CoreStatus status(Replica core) {
    PaxosReplica paxos = (PaxosReplica) core;
    long next = paxos.nextToDeliver();
    long inFlight = paxos.accepted().stream().filter(entry -> entry.slot() >= next).count();
    String role = paxos.isLeader() ? "leader" : paxos.isCandidate() ? "candidate" : "follower";
    String leader = paxos.isLeader() ? paxos.name() : paxos.leaderHint();
    return new CoreStatus(paxos.isLeader(), role, leader, paxos.promised().toString(), next, paxos.isLagging(),
        paxos.slotsBehind(), inFlight, paxos.waitingClients());
  }

  @Override
  public Optional<ClientKeys> clientKeys() {
    return Optional.empty();
  }

  @Override
  public void close() {
    if (catchUp != null) {
      try {
        catchUp.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (store != null) {
      store.close();
    }
  }
}
