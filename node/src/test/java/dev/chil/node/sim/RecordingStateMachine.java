package dev.chil.node.sim;

import dev.chil.audit.chain.Command;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import dev.chil.node.statemachine.DecisionRegistry;
import dev.chil.node.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The real state machine of one node incarnation, with a record of what it applied, in order.
 * Applying one (client, request id) twice in an incarnation is a violation at once: the state
 * machine lives in memory and is rebuilt from scratch at every restart, so a second application
 * can only come from a retried command applied again.
 */
final class RecordingStateMachine implements StateMachine {
  /** What was applied, as the client and request id that make a command unique. */
  record Applied(long slot, String client, String requestId) {}

  private final String node;
  private final DecisionRegistry registry = new DecisionRegistry(ConflictResolution.FIRST_WINS);
  private final List<Applied> applied = new ArrayList<>();
  private final Set<List<String>> seen = new HashSet<>();

  RecordingStateMachine(String node) {
    this.node = node;
  }

  @Override
  public Result apply(long slot, Command command) {
    if (!seen.add(List.of(command.client(), command.requestId()))) {
      throw new HarnessFailure("applied twice: " + node + " applied " + command.client() + "/" + command.requestId()
          + " again in slot " + slot);
    }
    applied.add(new Applied(slot, command.client(), command.requestId()));
    return registry.apply(slot, command);
  }

  @Override
  public Optional<Entry> read(String key) {
    return registry.read(key);
  }

  List<Applied> applied() {
    return List.copyOf(applied);
  }
}
