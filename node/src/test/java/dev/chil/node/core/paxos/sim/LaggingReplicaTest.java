package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A replica that was down for more decisions than the others keep in memory must still catch up:
 * the slots it missed are served from the audit log, which keeps every decided slot with its
 * certificate, and it votes again once it has caught up.
 */
@Tag("simulation")
class LaggingReplicaTest {
  private static final int WINDOW_SLOTS = 16;

  @Test
  void aReplicaDownForThreeWindowsCatchesUpAndVotesAgain() {
    ScriptedCluster cluster = new ScriptedCluster(3, false,
        config -> config.withMemory(WINDOW_SLOTS, 8, config.pendingCommandsMax()));
    cluster.tickUntilCandidate("n1");
    cluster.deliverAll();
    assertThat(cluster.leader()).contains("n1");
    cluster.crash("n3");
    List<Command> writes = new ArrayList<>();
    for (int i = 0; i < 3 * WINDOW_SLOTS; i++) {
      Command write = cluster.command("w" + i);
      writes.add(write);
      cluster.submit("n1", write);
      cluster.run(2);
    }
    assertThat(cluster.nextSlot("n1")).isGreaterThanOrEqualTo(3 * WINDOW_SLOTS);

    cluster.restart("n3");
    cluster.tick("n1", 3); // a heartbeat tells n3 how far behind it is
    assertThat(cluster.deliver("n1", "n3", "Heartbeat")).isPositive();
    assertThat(cluster.replica("n3").isLagging()).isTrue();
    cluster.run(2_000);

    assertThat(cluster.nextSlot("n3")).isEqualTo(cluster.nextSlot("n1"));
    assertThat(cluster.replica("n3").isLagging()).isFalse();
    for (Command write : writes) {
      assertThat(cluster.appliedEverywhere(write)).as(write.requestId()).isTrue();
    }
    // It votes again: with n2 down, n1 and n3 are a quorum and decide a new write.
    cluster.crash("n2");
    Command after = cluster.command("after");
    cluster.submit("n1", after);
    cluster.run(20);
    assertThat(cluster.nextSlot("n3")).isEqualTo(cluster.nextSlot("n1"));
    assertThat(cluster.replica("n3").nextToDeliver()).isGreaterThan(3L * WINDOW_SLOTS);
  }
}
