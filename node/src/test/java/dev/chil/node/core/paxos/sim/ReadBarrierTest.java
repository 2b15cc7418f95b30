package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.ReadReply;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Linearizable reads: when a replica may vouch for a read of its state machine, and when not. */
@Tag("simulation")
class ReadBarrierTest {

  @Test
  void theLeaderVouchesForAReadAfterOneRoundAndHasAppliedEarlierWrites() {
    ScriptedCluster cluster = leaderN1();
    Command x = cluster.command("x");
    cluster.submit("n1", x);
    cluster.run(5);
    assertThat(cluster.appliedEverywhere(x)).isTrue();
    long appliedBeforeRead = cluster.replica("n1").nextToDeliver();

    cluster.step("n1", new Input.ReadBarrier(1));
    cluster.run(3);

    assertThat(answersTo(cluster, 1)).singleElement().satisfies(read -> {
      assertThat(read.node()).isEqualTo("n1");
      assertThat(read.reply()).isEqualTo(new ReadReply.Ready(1));
      assertThat(read.appliedSlots()).isGreaterThan(appliedBeforeRead); // the no-op that confirmed it
    });
  }

  @Test
  void readsThatArriveTogetherShareOneConfirmingSlot() {
    ScriptedCluster cluster = leaderN1();
    long before = cluster.replica("n1").nextToDeliver();

    for (long id = 1; id <= 5; id++) {
      cluster.step("n1", new Input.ReadBarrier(id));
    }
    cluster.run(3);

    for (long id = 1; id <= 5; id++) {
      assertThat(answersTo(cluster, id)).extracting(ScriptedCluster.Read::reply).containsExactly(new ReadReply.Ready(id));
    }
    assertThat(cluster.replica("n1").nextToDeliver()).isEqualTo(before + 1);
  }

  @Test
  void aFollowerSendsTheReaderToTheLeader() {
    ScriptedCluster cluster = leaderN1();

    cluster.step("n2", new Input.ReadBarrier(3));

    assertThat(answersTo(cluster, 3)).extracting(ScriptedCluster.Read::reply)
        .containsExactly(new ReadReply.Redirect(3, "n1"));
  }

  /**
   * The case reads through a lone leader get wrong: n1 is cut off, n2 or n3 takes over and
   * decides y, and n1, which still believes it leads, is asked for a read. It must not vouch for
   * it: its state lacks y, which was acknowledged before the read began.
   */
  @Test
  void aDeposedLeaderNeverVouchesForAStaleRead() {
    ScriptedCluster cluster = leaderN1();
    cluster.submit("n1", cluster.command("x"));
    cluster.run(5);
    cluster.isolate("n1");
    for (int round = 0; round < 200 && cluster.leader().isEmpty(); round++) {
      cluster.run(1);
    }
    String newLeader = cluster.leader().orElseThrow();
    Command y = cluster.command("y");
    cluster.submit(newLeader, y);
    cluster.run(5);
    assertThat(cluster.replica("n1").isLeader()).as("n1 still believes it leads").isTrue();

    cluster.step("n1", new Input.ReadBarrier(7));
    cluster.run(30);
    assertThat(answersTo(cluster, 7)).as("no answer while cut off").isEmpty();

    cluster.reconnect("n1");
    cluster.run(30);
    assertThat(answersTo(cluster, 7)).extracting(ScriptedCluster.Read::reply)
        .containsExactly(new ReadReply.Redirect(7, newLeader));
    assertThat(cluster.appliedEverywhere(y)).isTrue();
  }

  @Test
  void tooManyWaitingReadsAreRefused() {
    ScriptedCluster cluster = new ScriptedCluster(3, false, config -> config.withMemory(config.retainedSlots(), config.catchUpSlotsMax(), 2));
    cluster.tickUntilCandidate("n1");
    cluster.deliverAll();
    cluster.isolate("n1"); // nothing can be confirmed, so reads pile up

    for (long id = 1; id <= 3; id++) {
      cluster.step("n1", new Input.ReadBarrier(id));
    }

    assertThat(answersTo(cluster, 3)).extracting(ScriptedCluster.Read::reply)
        .containsExactly(new ReadReply.Rejected(3, "too many reads waiting; retry later"));
  }

  private static ScriptedCluster leaderN1() {
    ScriptedCluster cluster = new ScriptedCluster(3, false, config -> config);
    cluster.tickUntilCandidate("n1");
    cluster.deliverAll();
    assertThat(cluster.replica("n1").isLeader()).isTrue();
    return cluster;
  }

  private static List<ScriptedCluster.Read> answersTo(ScriptedCluster cluster, long id) {
    return cluster.reads().stream().filter(read -> read.reply().id() == id).toList();
  }
}
