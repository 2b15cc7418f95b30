package dev.chil.node.assembly;

import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.node.codec.PbftCodec;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Replica;
import dev.chil.node.core.pbft.PbftConfig;
import dev.chil.node.core.pbft.PbftReplica;
import dev.chil.node.core.pbft.PbftStorageState;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.DurableStore;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.storage.PbftStateStore;
import dev.chil.node.storage.StorageException;
import dev.chil.node.transport.ClientKeys;
import dev.chil.node.transport.InboundSink;
import dev.chil.node.transport.PeerTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * PBFT in a node: {@link PbftReplica}, {@link PbftStateStore}, the pbft codec, and the client keys
 * that check every request's signature (clients sign their requests; no node may on their behalf).
 * Catch-up is the core's own (certified executed sequence numbers from peers, each checked).
 */
final class PbftProtocol implements ProtocolCore {
  private final NodeConfig config;
  private PbftConfig settings;
  private ClientKeys clientKeys;
  private PbftCodec codec;
  private PbftStateStore store;
  private PbftReplica replica;

  PbftProtocol(NodeConfig config) {
    this.config = config;
  }

  @Override
  public List<Decision> open(Path dataDir, ClusterRoster roster, Credentials credentials, ClusterTrust trust,
      Clock clock) throws NodeStartException {
    if (roster.genesis().firstSlot() != 0) {
      throw new NodeStartException("protocol.type pbft numbers sequences from 0, but the signed roster's first slot is "
          + roster.genesis().firstSlot() + ": sign the roster with first slot 0");
    }
    try {
      settings = PbftSettings.from(config, roster.roster());
    } catch (IllegalArgumentException e) {
      throw new NodeStartException("protocol.type pbft: " + e.getMessage(), e);
    }
    clientKeys = new ClientKeys(trust, clock, roster.verifier());
    codec = new PbftCodec(clientKeys);
    try {
      store = PbftStateStore.open(dataDir.resolve("state.db"), clientKeys);
      PbftStorageState stored = store.load();
      replica = new PbftReplica(settings, credentials.signer(), clientKeys, stored);
      return stored.executed();
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
    return new PbftOutbox(transport, codec);
  }

  @Override
  public InboundSink inbound(Driver driver) {
    return new PbftInbound(driver, codec);
  }

  @Override
  public Duration tick() {
    return PbftSettings.TICK;
  }

  @Override
  public CoreStatus status(Replica core) {
    PbftReplica pbft = (PbftReplica) core;
    boolean changing = pbft.isChangingView();
    String role = pbft.isPrimaryOfView() ? "leader" : changing ? "candidate" : "follower";
    String leader = changing ? null : settings.primary(pbft.view());
    return new CoreStatus(pbft.isPrimaryOfView(), role, leader, "view " + pbft.view(), pbft.nextToExecute(), false, 0,
        0, pbft.pendingRequests());
  }

  @Override
  public Optional<ClientKeys> clientKeys() {
    return Optional.of(clientKeys);
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
