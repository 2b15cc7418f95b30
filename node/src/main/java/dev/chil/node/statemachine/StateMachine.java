package dev.chil.node.statemachine;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import java.util.Optional;

/**
 * What the cluster replicates: every node applies the same decided commands in the same order,
 * so every implementation must be deterministic (no clocks, randomness or outside state) and
 * must not throw for a command it does not like: it answers {@code success=false} instead,
 * because the command was decided and audited regardless.
 *
 * <p>Called by the node's driver thread only.
 */
public interface StateMachine {

  /** Applies one decided command, decided in {@code slot}. */
  Result apply(long slot, Command command);

  /** The value a key holds, if any, with the slot that decided it. */
  Optional<Entry> read(String key);

  /** What applying a command did: whether it took effect, and the value that now stands. */
  record Result(boolean success, ByteString value) {}

  /** A key's value and the slot that decided it. */
  record Entry(ByteString value, long slot) {}
}
