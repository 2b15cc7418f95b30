package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Named interleavings, scripted message by message, beside the random simulation. */
@Tag("simulation")
class ScriptedScenariosTest {

  @Test
  void nodeRestartedBetweenPromiseAndAcceptKeepsItsPromise() {
    ScriptedCluster cluster = new ScriptedCluster(3, false, config -> config);
    Command x = cluster.command("x");
    Command y = cluster.command("y");
    restartBetweenPromiseAndAccept(cluster, x, y);

    // The restarted n2 refused n1's older ballot, so n1 stepped down and slot 0 holds y.
    assertThat(cluster.replica("n1").isLeader()).isFalse();
    cluster.run(5);
    cluster.submit("n3", x); // the client retries x at the leader
    cluster.run(30);
    assertThat(cluster.appliedEverywhere(x)).isTrue();
    assertThat(cluster.appliedEverywhere(y)).isTrue();
  }

  @Test
  void nodeThatForgetsItsPromiseOnRestartLetsTwoValuesBeChosen() {
    ScriptedCluster cluster = new ScriptedCluster(3, true, config -> config);
    Command x = cluster.command("x");
    Command y = cluster.command("y");
    assertThatThrownBy(() -> restartBetweenPromiseAndAccept(cluster, x, y))
        .isInstanceOf(SimulationFailure.class)
        .hasMessageContaining("agreement");
  }

  /**
   * n1 leads in ballot 1 and sends Accept(slot 0 = x), which is delayed. n3 stands in ballot 2;
   * only n2 hears it and promises. n3 leads and sends Accept(slot 0 = y). n2 restarts; then n1's
   * old Accept arrives at n2, then n3's. A correct n2 refuses the old one.
   */
  private static void restartBetweenPromiseAndAccept(ScriptedCluster cluster, Command x, Command y) {
    cluster.tickUntilCandidate("n1");
    cluster.deliverAll();
    assertThat(cluster.leader()).contains("n1");
    cluster.submit("n1", x);
    cluster.drop("n1", null, "Heartbeat");

    cluster.tickUntilCandidate("n3");
    cluster.drop("n3", "n1", "Prepare");
    assertThat(cluster.deliver("n3", "n2", "Prepare")).isEqualTo(1);
    assertThat(cluster.deliver("n2", "n3", "Promise")).isEqualTo(1);
    assertThat(cluster.replica("n3").isLeader()).isTrue();
    cluster.submit("n3", y);

    cluster.crash("n2");
    cluster.restart("n2");
    assertThat(cluster.deliver("n1", "n2", "Accept")).isEqualTo(1);
    assertThat(cluster.deliver("n2", "n1", null)).isEqualTo(1);
    assertThat(cluster.deliver("n3", "n2", "Accept")).isEqualTo(1);
    assertThat(cluster.deliver("n2", "n3", "Accepted")).isEqualTo(1);
    cluster.deliverAll();
  }

  @Test
  void leaderIsolatedMidBatch() {
    ScriptedCluster cluster = new ScriptedCluster(3, false, config -> config.withBatching(3, 1 << 16, 0, 2));
    cluster.tickUntilCandidate("n1");
    cluster.deliverAll();
    assertThat(cluster.leader()).contains("n1");
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      commands.add(cluster.command("c" + i));
      cluster.submit("n1", commands.get(i));
    }
    // Slot 0 completes; slot 2 (a batch of three) reaches n2 only, and n1 never hears back.
    assertThat(cluster.deliver("n1", "n2", "Accept")).isEqualTo(2); // slots 0 and 1: the pipeline is full
    assertThat(cluster.deliver("n2", "n1", "Accepted")).isEqualTo(2);
    assertThat(cluster.deliver("n1", "n2", "Accept")).isEqualTo(2); // slots 2 and 3: batches of 3 and 2
    cluster.isolate("n1");

    cluster.tickUntilCandidate("n2");
    cluster.run(20);
    assertThat(cluster.leader()).isPresent().get().isNotEqualTo("n1");
    String leader = cluster.leader().orElseThrow();
    for (Command command : commands) {
      cluster.submit(leader, command); // clients time out and retry at the new leader
    }
    cluster.run(20);
    cluster.reconnect("n1");
    cluster.run(40);

    assertThat(cluster.replica("n1").isLeader()).isFalse();
    for (Command command : commands) {
      assertThat(cluster.appliedEverywhere(command)).as(command.requestId()).isTrue();
    }
    assertThat(cluster.nextSlot("n1")).isEqualTo(cluster.nextSlot(leader));
  }

  @Test
  void twoCompetingLeaders() {
    ScriptedCluster cluster = new ScriptedCluster(3, false, config -> config);
    cluster.tickUntilCandidate("n1");
    cluster.tickUntilCandidate("n3");
    // n2 promises n1's ballot, then n3's higher one; both candidates see a quorum and lead.
    assertThat(cluster.deliver("n1", "n2", "Prepare")).isEqualTo(1);
    assertThat(cluster.deliver("n3", "n2", "Prepare")).isEqualTo(1);
    assertThat(cluster.deliver("n2", "n1", "Promise")).isEqualTo(1);
    assertThat(cluster.deliver("n2", "n3", "Promise")).isEqualTo(1);
    assertThat(cluster.replica("n1").isLeader()).isTrue();
    assertThat(cluster.replica("n3").isLeader()).isTrue();

    Command a = cluster.command("a");
    Command b = cluster.command("b");
    cluster.submit("n1", a);
    cluster.submit("n3", b);
    cluster.run(30);

    assertThat(cluster.replica("n1").isLeader()).isFalse();
    String leader = cluster.leader().orElseThrow();
    cluster.submit(leader, a); // n1 redirected a's client
    cluster.run(30);
    assertThat(cluster.appliedEverywhere(a)).isTrue();
    assertThat(cluster.appliedEverywhere(b)).isTrue();
  }
}
