package dev.chil.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;
import dev.chil.node.failure.FailureDetector;
import dev.chil.node.statemachine.DecisionRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three drivers around real Paxos replicas, with real audit logs, wired in memory. */
class DriverTest {
  private static final List<String> NAMES = List.of("node-1", "node-2", "node-3");
  @TempDir Path directory;

  private final Map<String, Driver> drivers = new TreeMap<>();
  private final Map<String, AuditLog> audits = new TreeMap<>();
  private final Map<String, RecordingStore> stores = new TreeMap<>();
  private final Map<String, Credentials> credentials = new TreeMap<>();
  private Credentials admin;
  private final AtomicInteger widestSend = new AtomicInteger();

  /** Persists into memory and counts, so a test can see that persisting came first. */
  private static final class RecordingStore implements DurableStore {
    final PaxosStorageState state = new PaxosStorageState();
    final AtomicInteger transactions = new AtomicInteger();
    volatile int promisesPersisted;

    @Override
    public synchronized void persist(List<Durable> records) {
      transactions.incrementAndGet();
      for (Durable record : records) {
        state.apply((PaxosDurable) record);
        if (record instanceof PaxosDurable.Promised) {
          promisesPersisted++;
        }
      }
    }
  }

  @BeforeEach
  void startCluster() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority authority = CertificateAuthority.create("test CA", now.minusSeconds(60), now.plusSeconds(3600));
    List<RosterMember> members = new ArrayList<>();
    for (String name : NAMES) {
      Credentials node = authority.issue(Identity.node("prod", name), now.minusSeconds(60), now.plusSeconds(3600));
      credentials.put(name, node);
      members.add(new RosterMember(name, node.certificate(), 1));
    }
    Verifier verifier = TinkVerifier.forCertificates("prod",
        credentials.values().stream().map(Credentials::certificate).toList());
    admin = authority.issue(Identity.admin("prod", "root"), now.minusSeconds(60), now.plusSeconds(3600));
    SignedRoster genesis = SignedRoster.sign(new Genesis("prod", Protocol.PAXOS, 0, members), admin);
    Roster roster = Roster.equal("prod", NAMES);

    for (String name : NAMES) {
      RecordingStore store = new RecordingStore();
      stores.put(name, store);
      AuditLog audit = AuditLog.create(directory.resolve(name + "-audit.db"), genesis, credentials.get(name).signer(),
          AuditLog.Options.defaults());
      audits.put(name, audit);
      PaxosReplica replica = new PaxosReplica(PaxosConfig.defaults(name, roster, name.hashCode()),
          credentials.get(name).signer(), verifier);
      Outbox outbox = (peers, message) -> {
        widestSend.accumulateAndGet(peers.size(), Math::max);
        peers.forEach(peer -> deliver(name, peer, message));
      };
      FailureDetector detector = new FailureDetector(NAMES.stream().filter(n -> !n.equals(name)).toList(), 200, 8.0);
      drivers.put(name, new Driver(replica, store, outbox, audit, new DecisionRegistry(ConflictResolution.FIRST_WINS),
          detector, Clock.systemUTC(), Duration.ofMillis(10), 10_000, 10_000));
    }
    drivers.values().forEach(Driver::start);
  }

  private void deliver(String from, String to, PeerMessage message) {
    Driver driver = drivers.get(to);
    if (driver != null) {
      driver.offer(from, message);
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (Driver driver : drivers.values()) {
      driver.close();
    }
    for (AuditLog audit : audits.values()) {
      audit.close();
    }
  }

  @Test
  void proposalsAreDecidedAuditedIdenticallyAndAnswered() throws Exception {
    ProposalResult first = proposeUntilLeader("claim-1", "genuine", "r1");
    ProposalResult conflict = proposeAtLeader("claim-1", "forged", "r2");
    ProposalResult second = proposeAtLeader("claim-2", "genuine", "r3");

    assertThat(first.success()).isTrue();
    assertThat(first.value().toStringUtf8()).isEqualTo("genuine");
    assertThat(conflict.success()).isFalse();
    assertThat(conflict.value().toStringUtf8()).isEqualTo("genuine");
    assertThat(second.auditIndex()).isGreaterThan(conflict.auditIndex());
    assertThat(first.certificate().votes()).hasSizeGreaterThanOrEqualTo(2);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (AuditLog audit : audits.values()) {
        assertThat(audit.head()).isEqualTo(audits.get("node-1").head());
        assertThat(audit.head().index()).isEqualTo(3);
      }
    });
    List<Entry> entries = audits.get("node-2").read(1, 3);
    assertThat(entries).extracting(entry -> entry.command().requestId()).containsExactly("r1", "r2", "r3");
    for (RecordingStore store : stores.values()) {
      assertThat(store.transactions.get()).isPositive();
    }
    assertThat(widestSend.get()).as("a broadcast goes out as one send, signed once").isEqualTo(2);
  }

  @Test
  void aRetriedRequestGetsTheFirstAnswerAndIsAuditedOnce() throws Exception {
    ProposalResult first = proposeUntilLeader("claim-7", "genuine", "same-id");
    ProposalResult retry = proposeAtLeader("claim-7", "genuine", "same-id");

    assertThat(retry).isEqualTo(first);
    assertThat(audits.get(leader()).head().index()).isEqualTo(1);
  }

  @Test
  void aFollowerNamesTheLeader() throws Exception {
    proposeUntilLeader("claim-1", "genuine", "r1");
    String leader = leader();
    String follower = NAMES.stream().filter(name -> !name.equals(leader)).findFirst().orElseThrow();

    assertThatThrownBy(() -> drivers.get(follower).propose(command("claim-2", "x", "r2")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(NodeUnavailableException.class, e -> assertThat(e.leaderHint()).isEqualTo(leader));
  }

  @Test
  void aFailingStoreStopsTheNodeAndFailsItsClients() throws Exception {
    Credentials node1 = credentials.get("node-1");
    AuditLog soloAudit = AuditLog.create(directory.resolve("solo-audit.db"), SignedRoster.sign(
        new Genesis("prod", Protocol.PAXOS, 0, List.of(new RosterMember("node-1", node1.certificate(), 1))), admin),
        node1.signer(), AuditLog.Options.defaults());
    Driver broken = new Driver(
        new PaxosReplica(PaxosConfig.defaults("node-1", Roster.equal("prod", List.of("node-1")), 1),
            node1.signer(), TinkVerifier.forCertificates("prod", List.of(node1.certificate()))),
        records -> {
          throw new IllegalStateException("disk full");
        },
        (peers, message) -> {}, soloAudit, new DecisionRegistry(ConflictResolution.FIRST_WINS),
        new FailureDetector(List.of(), 200, 8.0), Clock.systemUTC(), Duration.ofMillis(10), 10, 10);
    broken.start();
    try {
      // The driver records its failure, then logs it and completes terminated() as its thread ends:
      // wait for the end, which a busy machine can delay, rather than assume both are at once.
      await().atMost(Duration.ofSeconds(30)).until(() -> broken.terminated().isDone());
      assertThat(broken.failure()).hasMessageContaining("disk full");
      assertThat(broken.terminated()).isCompletedExceptionally();
      assertThatThrownBy(() -> broken.propose(command("k", "v", "r")).get(5, TimeUnit.SECONDS))
          .cause().isInstanceOf(NodeUnavailableException.class);
    } finally {
      broken.close();
      soloAudit.close();
    }
  }

  private ProposalResult proposeUntilLeader(String key, String value, String requestId) {
    List<ProposalResult> result = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Driver driver : drivers.values()) {
        try {
          result.add(driver.propose(command(key, value, requestId)).get(5, TimeUnit.SECONDS));
          return true;
        } catch (ExecutionException e) {
          // not the leader yet, or none elected: try the next
        }
      }
      return false;
    });
    return result.get(0);
  }

  private ProposalResult proposeAtLeader(String key, String value, String requestId) throws Exception {
    return drivers.get(leader()).propose(command(key, value, requestId)).get(10, TimeUnit.SECONDS);
  }

  private String leader() throws Exception {
    for (Map.Entry<String, Driver> driver : drivers.entrySet()) {
      CompletableFuture<Boolean> leads = driver.getValue().inspect(view -> ((PaxosReplica) view.replica()).isLeader());
      if (leads.get(5, TimeUnit.SECONDS)) {
        return driver.getKey();
      }
    }
    throw new AssertionError("no leader");
  }

  private static Command command(String key, String value, String requestId) {
    return new Command(key, ByteString.copyFromUtf8(value), "spiffe://prod/client/alice", requestId);
  }
}
