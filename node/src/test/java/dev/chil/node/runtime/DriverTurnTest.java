package dev.chil.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.store.AuditLog;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.node.config.NodeConfig.ConflictResolution;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver whose turns its caller runs: one node, stepped turn by turn, observed at each point. */
class DriverTurnTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  @TempDir Path directory;

  @Test
  void aTurnRunByItsCallerPassesEveryPointInTheDurabilityOrder() throws Exception {
    List<String> log = new ArrayList<>();
    PaxosStorageState stored = new PaxosStorageState();
    CertificateAuthority authority = CertificateAuthority.create("test CA", NOW.minusSeconds(60), NOW.plusSeconds(3600));
    Credentials node = authority.issue(Identity.node("prod", "node-1"), NOW.minusSeconds(60), NOW.plusSeconds(3600));
    try (AuditLog audit = AuditLog.create(directory.resolve("audit.db"),
        SignedRoster.sign(new Genesis("prod", Protocol.PAXOS, 0, List.of(new RosterMember("node-1", node.certificate(), 1))),
            authority.issue(Identity.admin("prod", "root"), NOW.minusSeconds(60), NOW.plusSeconds(3600))),
        node.signer(), AuditLog.Options.defaults())) {
      Driver driver = new Driver(
          new PaxosReplica(PaxosConfig.defaults("node-1", Roster.equal("prod", List.of("node-1")), 7), node.signer(),
              TinkVerifier.forCertificates("prod", List.of(node.certificate()))),
          records -> {
            log.add("persist " + records.size());
            records.forEach(record -> stored.apply((PaxosDurable) record));
          },
          (peers, message) -> log.add("send"), audit, new DecisionRegistry(ConflictResolution.FIRST_WINS),
          new FailureDetector(List.of(), 200, 8.0), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10), 100, 100,
          point -> log.add(point.name()));

      // A lone node elects itself after its election timeout and backoff: at most 61 ticks.
      for (int turn = 0; turn < 100; turn++) {
        driver.runTurn(true);
      }
      CompletableFuture<ProposalResult> result = driver.propose(
          new Command("claim-1", ByteString.copyFromUtf8("genuine"), "spiffe://prod/client/alice", "r1"));
      for (int turn = 0; turn < 10 && !result.isDone(); turn++) {
        log.clear();
        driver.runTurn(true);
      }

      assertThat(result).isCompleted();
      assertThat(result.get().success()).isTrue();
      assertThat(audit.head().index()).isEqualTo(1);
      assertThat(stored.delivered()).hasSize(1);
      assertThat(log).containsSubsequence("STEPPED", "persist 2", "PERSISTED", "SENT", "AUDITED", "APPLIED");
      assertThat(log).doesNotContain("send"); // a cluster of one has nobody to send to

      driver.start();
      assertThatThrownBy(() -> driver.runTurn(true)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runs its own thread");
      driver.close();
    }
  }
}
