package dev.chil.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import dev.chil.node.statemachine.StateMachine.Entry;
import dev.chil.node.statemachine.StateMachine.Result;
import org.junit.jupiter.api.Test;

class DecisionRegistryTest {
  private static final ByteString GENUINE = ByteString.copyFromUtf8("genuine");
  private static final ByteString FORGED = ByteString.copyFromUtf8("forged");

  @Test
  void underFirstWinsTheFirstDecisionStands() {
    DecisionRegistry registry = new DecisionRegistry(ConflictResolution.FIRST_WINS);

    assertThat(registry.apply(3, command("claim-17", GENUINE, "r1"))).isEqualTo(new Result(true, GENUINE));
    assertThat(registry.apply(4, command("claim-17", FORGED, "r2"))).isEqualTo(new Result(false, GENUINE));
    assertThat(registry.read("claim-17")).contains(new Entry(GENUINE, 3));
  }

  @Test
  void underLastWinsEachDecisionReplacesTheOneBefore() {
    DecisionRegistry registry = new DecisionRegistry(ConflictResolution.LAST_WINS);

    registry.apply(3, command("claim-17", GENUINE, "r1"));
    assertThat(registry.apply(4, command("claim-17", FORGED, "r2"))).isEqualTo(new Result(true, FORGED));
    assertThat(registry.read("claim-17")).contains(new Entry(FORGED, 4));
  }

  @Test
  void keysAreIndependentAndUnknownKeysAreEmpty() {
    DecisionRegistry registry = new DecisionRegistry(ConflictResolution.FIRST_WINS);

    registry.apply(1, command("a", GENUINE, "r1"));
    assertThat(registry.apply(2, command("b", FORGED, "r2")).success()).isTrue();
    assertThat(registry.read("c")).isEmpty();
    assertThat(registry.size()).isEqualTo(2);
  }

  private static Command command(String key, ByteString value, String requestId) {
    return new Command(key, value, "spiffe://prod/client/alice", requestId);
  }
}
