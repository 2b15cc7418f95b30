package dev.chil.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenesisTest {
  private static TestCluster cluster;
  private static RosterMember one;
  private static RosterMember two;
  private static RosterMember three;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
    one = new RosterMember("node-1", cluster.node("node-1").certificate(), 1);
    two = new RosterMember("node-2", cluster.node("node-2").certificate(), 1);
    three = new RosterMember("node-3", cluster.node("node-3").certificate(), 1);
  }

  @Test
  void theRosterOrderOfAConfigDoesNotChangeTheHash() {
    Genesis a = new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two, three));
    Genesis b = new Genesis("prod", Protocol.PAXOS, 1, List.of(three, one, two));
    assertThat(b.roster()).extracting(RosterMember::node).containsExactly("node-1", "node-2", "node-3");
    assertThat(b.hash()).isEqualTo(a.hash());
  }

  @Test
  void everyFieldChangesTheHash() {
    Genesis base = new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two, three));
    List<Genesis> variants = List.of(
        new Genesis("prod2", Protocol.PAXOS, 1, List.of(one, two, three)),
        new Genesis("prod", Protocol.PBFT, 1, List.of(one, two, three)),
        new Genesis("prod", Protocol.PAXOS, 0, List.of(one, two, three)),
        new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two)),
        new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two, new RosterMember("node-3", three.certificate(), 2))),
        new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two, new RosterMember("node-3", two.certificate(), 1))));
    assertThat(variants).extracting(Genesis::hash).doesNotContain(base.hash()).doesNotHaveDuplicates();
  }

  @Test
  void aNodeIsInTheRosterOnce() {
    assertThatThrownBy(() -> new Genesis("prod", Protocol.PAXOS, 1, List.of(one, one)))
        .hasMessageContaining("node-1 is in the roster twice");
  }

  @Test
  void pbftCountsSignersSoWeightsAreOne() {
    assertThatThrownBy(() -> new Genesis("prod", Protocol.PBFT, 1,
        List.of(one, new RosterMember("node-2", two.certificate(), 3))))
        .hasMessageContaining("weight of node-2 must be 1");
  }

  @Test
  void quorumArithmetic() {
    assertThat(Quorum.pbftQuorum(1)).isEqualTo(1);
    assertThat(Quorum.pbftQuorum(4)).isEqualTo(3);
    assertThat(Quorum.pbftQuorum(6)).isEqualTo(3);
    assertThat(Quorum.pbftQuorum(7)).isEqualTo(5);
    Genesis paxos = new Genesis("prod", Protocol.PAXOS, 1, List.of(one, two, three));
    assertThat(Quorum.reached(paxos, 1, 1)).isFalse();
    assertThat(Quorum.reached(paxos, 2, 2)).isTrue();
  }
}
