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

  /** The slot was delivered (in slot order); the next delivery is {@code slot + 1}. */
  record Delivered(Decision decision) implements PaxosDurable {
    public Delivered {
      Objects.requireNonNull(decision, "decision");
    }
  }
}
