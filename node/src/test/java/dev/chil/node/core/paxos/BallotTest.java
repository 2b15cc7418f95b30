package dev.chil.node.core.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class BallotTest {

  @Test
  void ordersByRoundThenNode() {
    assertThat(new Ballot(2, "a")).isGreaterThan(new Ballot(1, "z"));
    assertThat(new Ballot(1, "b")).isGreaterThan(new Ballot(1, "a"));
    assertThat(Ballot.ZERO).isLessThan(new Ballot(1, "a"));
  }

  @Test
  void canonicalBytesAreRoundThenNodeName() {
    ByteString bytes = new Ballot(258, "n1").toBytes();
    assertThat(bytes.toByteArray()).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, 'n', '1');
    assertThat(Ballot.fromBytes(bytes)).isEqualTo(new Ballot(258, "n1"));
    assertThat(Ballot.fromBytes(Ballot.ZERO.toBytes())).isEqualTo(Ballot.ZERO);
  }

  @Test
  void onlyZeroHasNoNode() {
    assertThatThrownBy(() -> new Ballot(1, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ballot(0, "n1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ballot(-1, "n1")).isInstanceOf(IllegalArgumentException.class);
  }
}
