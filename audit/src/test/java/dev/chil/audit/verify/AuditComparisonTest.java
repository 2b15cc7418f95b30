package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.AuditStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditComparisonTest {
  private static TestCluster cluster;

  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  /** A log of node {@code owner} with the given slots appended one by one. */
  private Path log(String owner, List<DecidedSlot> slots) throws Exception {
    return log(owner, cluster, slots);
  }

  private Path log(String owner, TestCluster of, List<DecidedSlot> slots) throws Exception {
    Path file = directory.resolve(owner + "-" + slots.size() + "-" + System.identityHashCode(slots) + ".db");
    try (AuditLog log = AuditLog.create(file, of.genesis, of.node(owner).signer(), AuditLog.Options.defaults())) {
      for (DecidedSlot slot : slots) {
        log.append(slot);
      }
    }
    return file;
  }

  @Test
  void identicalLogsAgree() throws Exception {
    List<DecidedSlot> slots = cluster.slots(1, 4, 2);
    AuditComparison.Result result = AuditComparison.compare(List.of(log("node-1", slots), log("node-2", slots)));
    assertThat(result.forked()).isFalse();
    assertThat(result.exitCode()).isZero();
    assertThat(result.commonPrefix()).isEqualTo(8);
    assertThat(result.heads()).extracting(AuditComparison.NodeHead::owner).containsExactly("node-1", "node-2");
    assertThat(result.lines()).last().isEqualTo("no fork: all logs are identical");
  }

  @Test
  void aNodeThatIsOnlyBehindIsNotAFork() throws Exception {
    List<DecidedSlot> slots = cluster.slots(1, 5, 2);
    AuditComparison.Result result = AuditComparison.compare(
        List.of(log("node-1", slots), log("node-2", slots.subList(0, 3)), log("node-3", slots.subList(0, 4))));
    assertThat(result.forked()).isFalse();
    assertThat(result.commonPrefix()).isEqualTo(6);
    assertThat(result.heads()).extracting(head -> head.head().index()).containsExactly(10L, 6L, 8L);
    assertThat(result.lines()).last().isEqualTo("no fork: node-2, node-3 behind by up to 4 entries");
  }

  @Test
  void aForkIsFoundAtTheFirstDisagreeingIndex() throws Exception {
    List<DecidedSlot> slots = cluster.slots(1, 5, 2);
    List<DecidedSlot> forked = new java.util.ArrayList<>(slots.subList(0, 2));
    forked.add(cluster.decide(3, List.of(TestCluster.commands(3, 2).get(0), TestCluster.commands(99, 1).get(0))));
    Path a = log("node-1", slots);
    Path b = log("node-2", slots.subList(0, 3));
    Path c = log("node-3", forked);
    AuditComparison.Result result = AuditComparison.compare(List.of(a, b, c));
    assertThat(result.forked()).isTrue();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.disagreement().index()).isEqualTo(6);
    assertThat(result.commonPrefix()).isEqualTo(5);
    assertThat(result.disagreement().filesByHashHex().values())
        .containsExactlyInAnyOrder(List.of(a, b), List.of(c));
    assertThat(result.lines()).last().asString().startsWith("FORK at index 6:");
  }

  @Test
  void logsOfDifferentGenesesDisagreeAtIndexZero() throws Exception {
    TestCluster other = TestCluster.paxos(3);
    AuditComparison.Result result = AuditComparison.compare(
        List.of(log("node-1", cluster.slots(1, 1, 1)), log("node-1", other, other.slots(1, 1, 1))));
    assertThat(result.disagreement().index()).isZero();
    assertThat(result.commonPrefix()).isZero();
  }

  @Test
  void anUnreadableLogIsReportedByName() throws Exception {
    Path good = log("node-1", cluster.slots(1, 1, 1));
    Path bad = Files.writeString(directory.resolve("bad.db"), "not a database at all, just some text".repeat(40));
    assertThatThrownBy(() -> AuditComparison.compare(List.of(good, bad)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("bad.db")
        .hasMessageContaining("is not an SQLite database");
  }
}
