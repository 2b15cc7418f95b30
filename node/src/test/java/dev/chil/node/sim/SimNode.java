package dev.chil.node.sim;

import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.assembly.NodeStartException;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;
import dev.chil.node.failure.FailureDetector;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.Outbox;
import dev.chil.node.runtime.TurnObserver;
import dev.chil.node.storage.PaxosStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One node of the harness: its data directory, and while it is up, one incarnation of the real
 * parts wired as {@code ConsensusNode} wires them (state store, audit log, recovery, replica,
 * driver), with the driver's turns run by the harness. A crash drops the incarnation where it
 * stands; only what its stores committed survives into the next.
 */
final class SimNode {
  static final Duration TICK = Duration.ofMillis(10);
  private static final long HEARTBEAT_INTERVAL_MILLIS = 50;
  private static final double SUSPECT_THRESHOLD = 8.0;

  final String name;
  private final Path directory;
  private final PaxosConfig config;
  private final Signer signer;
  private final Verifier verifier;
  private final SignedRoster genesis;
  private final SimClock clock;
  private final Outbox outbox;
  private final NodeVariant variant;
  private final List<String> peers;
  private DurableState durable;

  private int incarnation;
  private PaxosStateStore store;
  private AuditLog audit;
  private RecordingStateMachine stateMachine;
  private Driver driver;
  private TurnObserver.Point crashAt;

  SimNode(String name, Path directory, PaxosConfig config, Signer signer, Verifier verifier, SignedRoster genesis,
      SimClock clock, Outbox outbox, NodeVariant variant, List<String> peers) {
    this.name = name;
    this.directory = directory;
    this.config = config;
    this.signer = signer;
    this.verifier = verifier;
    this.genesis = genesis;
    this.clock = clock;
    this.outbox = outbox;
    this.variant = variant;
    this.peers = peers;
  }

  /** Starts an incarnation from whatever the data directory holds, as a process start would. */
  void start(long seed) throws NodeStartException, AuditStoreException {
    incarnation++;
    crashAt = null;
    store = PaxosStateStore.open(directory.resolve("state.db"));
    PaxosStorageState loaded = store.load();
    Path auditFile = directory.resolve("audit.db");
    audit = Files.exists(auditFile) ? AuditLog.open(auditFile, signer, AuditLog.Options.defaults())
        : AuditLog.create(auditFile, genesis, signer, AuditLog.Options.defaults());
    stateMachine = new RecordingStateMachine(name);
    variant.recover(loaded.delivered(), audit, stateMachine, clock.instant());
    PaxosReplica replica = new PaxosReplica(config.withSelf(name, seed * 31 + incarnation), signer, verifier, loaded);
    NodeVariant.Seams seams = variant.seams(store::persist, loaded, this::reached);
    driver = new Driver(replica, seams.store(), outbox, audit, stateMachine,
        new FailureDetector(peers, HEARTBEAT_INTERVAL_MILLIS, SUSPECT_THRESHOLD), clock, TICK, 10_000, 10_000,
        seams.observer());
    if (durable == null) {
      durable = new DurableState(directory.resolve("state.db"));
    }
  }

  /** Arms a crash at the next turn that reaches {@code point}. */
  void crashAt(TurnObserver.Point point) {
    crashAt = point;
  }

  boolean crashArmed() {
    return crashAt != null;
  }

  private void reached(TurnObserver.Point point) {
    if (point == crashAt) {
      crashAt = null;
      throw new Crash(name, point);
    }
  }

  /** Runs one driver turn with a tick; a {@link Crash} thrown by it means the node is down. */
  void turn() {
    driver.runTurn(true);
  }

  /** Drops the incarnation: nothing more is written; the stores' connections are closed. */
  void crash() {
    driver = null;
    crashAt = null;
    store.close();
    store = null;
    try {
      // Closing signs the head if it moved; a dead process would not, which changes no check here.
      audit.close();
    } catch (AuditStoreException e) {
      throw new IllegalStateException(e);
    }
    audit = null;
    stateMachine = null;
  }

  boolean isUp() {
    return driver != null;
  }

  Driver driver() {
    return driver;
  }

  AuditLog audit() {
    return audit;
  }

  RecordingStateMachine stateMachine() {
    return stateMachine;
  }

  DurableState durable() {
    return durable;
  }

  int incarnation() {
    return incarnation;
  }

  void close() {
    if (isUp()) {
      crash();
    }
    if (durable != null) {
      durable.close();
    }
  }
}
