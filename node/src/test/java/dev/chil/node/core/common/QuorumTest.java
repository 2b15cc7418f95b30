package dev.chil.node.core.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QuorumTest {

  @Test
  void majorityOfEqualWeights() {
    Quorum quorum = new Quorum(Roster.equal("c", List.of("a", "b", "c", "d")), QuorumRule.MAJORITY);
    assertThat(quorum.reached(List.of("a", "b"))).isFalse();
    assertThat(quorum.reached(List.of("a", "b", "c"))).isTrue();
  }

  @Test
  void majorityOfWeight() {
    TreeMap<String, Integer> weights = new TreeMap<>();
    weights.put("big", 3);
    weights.put("a", 1);
    weights.put("b", 1);
    Quorum quorum = new Quorum(Roster.of("c", weights), QuorumRule.MAJORITY);
    assertThat(quorum.reached(List.of("big"))).isTrue();
    assertThat(quorum.reached(List.of("a", "b"))).isFalse();
  }

  @Test
  void nonMembersWeighNothing() {
    Quorum quorum = new Quorum(Roster.equal("c", List.of("a", "b", "c")), QuorumRule.MAJORITY);
    assertThat(quorum.reached(List.of("a", "x", "y"))).isFalse();
  }
}
