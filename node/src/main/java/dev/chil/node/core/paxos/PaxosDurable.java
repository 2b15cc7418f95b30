package dev.chil.node.core.paxos;

import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import java.util.Objects;

/** The acceptor and learner state Paxos safety rests on; see {@link PaxosStorageState}. */
public sealed interface PaxosDurable extends Durable {

  /** The acceptor promised this ballot: it must never accept or promise below it again. */
  record Promised(Ballot ballot) implements PaxosDurable {
    public Promised {
      Objects.requireNonNull(ballot, "ballot");
    }
  }

  /** The acceptor accepted this value (replacing any earlier one of the slot). */
  record AcceptedValue(AcceptedEntry entry) implements PaxosDurable {
    public AcceptedValue {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * The acceptor forgot the values it accepted below {@code slot}: delivered, and further behind
   * than the retained window. Storage may delete them, so a restart reads only the window.
   */
  record AcceptedPrunedBelow(long slot) implements PaxosDurable {
    public AcceptedPrunedBelow {
      if (slot < 0) {
        throw new IllegalArgumentException("slot must not be negative: " + slot);
      }
    }
  }

  /** The slot was delivered (in slot order); the next delivery is {@code slot + 1}. */
  record Delivered(Decision decision) implements PaxosDurable {
    public Delivered {
      Objects.requireNonNull(decision, "decision");
    }
  }
}
