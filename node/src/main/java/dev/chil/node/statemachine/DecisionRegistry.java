package dev.chil.node.statemachine;

import dev.chil.audit.chain.Command;
import dev.chil.node.config.NodeConfig.ConflictResolution;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default state machine: a registry of decisions, key → value. Under first-wins (the
 * default) the first decided value for a key is final, as the verdict on a claim should be: a
 * later command for the key fails and is told the standing value. Under last-wins each decided
 * value replaces the one before.
 */
public final class DecisionRegistry implements StateMachine {
  private final ConflictResolution conflictResolution;
  private final Map<String, Entry> decisions = new TreeMap<>();

  public DecisionRegistry(ConflictResolution conflictResolution) {
    this.conflictResolution = conflictResolution;
  }

  @Override
  public Result apply(long slot, Command command) {
    Entry standing = decisions.get(command.key());
    if (standing != null && conflictResolution == ConflictResolution.FIRST_WINS) {
      return new Result(false, standing.value());
    }
    decisions.put(command.key(), new Entry(command.value(), slot));
    return new Result(true, command.value());
  }

  @Override
  public Optional<Entry> read(String key) {
    return Optional.ofNullable(decisions.get(key));
  }

  public int size() {
    return decisions.size();
  }
}
