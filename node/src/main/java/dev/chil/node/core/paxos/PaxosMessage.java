package dev.chil.node.core.paxos;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.node.core.common.PeerMessage;
import java.util.List;
import java.util.Objects;

/**
 * The Multi-Paxos messages. Only {@link Accepted} carries a signature (the vote, under
 * {@link dev.chil.audit.chain.VoteStatement#MESSAGE_TYPE}); the others are authenticated by the
 * transport's mutual TLS. List sizes are bounded so a peer cannot make a core allocate without
 * limit.
 */
public sealed interface PaxosMessage extends PeerMessage {
  int ENTRIES_MAX = 4096;
  int COMMANDS_MAX = 10_000;

  /** Phase 1a: "promise me {@code ballot} for every slot from {@code fromSlot} on". */
  record Prepare(Ballot ballot, long fromSlot) implements PaxosMessage {
    public Prepare {
      Objects.requireNonNull(ballot, "ballot");
      requireSlot(fromSlot);
    }
  }

  /**
   * Phase 1b: the promise, with what this acceptor accepted from {@code fromSlot} on. It no
   * longer holds accepted values below {@code retainedFromSlot}: a candidate behind that cannot
   * use this promise and must catch up first.
   */
  record Promise(Ballot ballot, long retainedFromSlot, List<AcceptedEntry> accepted) implements PaxosMessage {
    public Promise {
      Objects.requireNonNull(ballot, "ballot");
      requireSlot(retainedFromSlot);
      accepted = List.copyOf(accepted);
      requireAtMost(accepted.size(), ENTRIES_MAX, "accepted entries");
    }
  }

  /** Phase 2a: "accept these commands for {@code slot} in {@code ballot}". */
  record Accept(Ballot ballot, long slot, List<Command> commands) implements PaxosMessage {
    public Accept {
      Objects.requireNonNull(ballot, "ballot");
      requireSlot(slot);
      commands = List.copyOf(commands);
      requireAtMost(commands.size(), COMMANDS_MAX, "commands");
    }
  }

  /** Phase 2b: the acceptor's signed vote on {@code VoteStatement(slot, ballot, digest)}. */
  record Accepted(Ballot ballot, long slot, ByteString digest, ByteString signature) implements PaxosMessage {
    public Accepted {
      Objects.requireNonNull(ballot, "ballot");
      requireSlot(slot);
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(signature, "signature");
    }
  }

  /** The slot is decided: its commands and the quorum certificate that proves it. */
  record Decide(long slot, List<Command> commands, QuorumCertificate certificate) implements PaxosMessage {
    public Decide {
      requireSlot(slot);
      commands = List.copyOf(commands);
      requireAtMost(commands.size(), COMMANDS_MAX, "commands");
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /** "I promised {@code promised}, above your {@code ballot}": the sender should step down. */
  record Nack(Ballot ballot, Ballot promised) implements PaxosMessage {
    public Nack {
      Objects.requireNonNull(ballot, "ballot");
      Objects.requireNonNull(promised, "promised");
    }
  }

  /** The leader is alive; slots below {@code deliveredUpTo} are decided (catch up if behind). */
  record Heartbeat(Ballot ballot, long deliveredUpTo) implements PaxosMessage {
    public Heartbeat {
      Objects.requireNonNull(ballot, "ballot");
      requireSlot(deliveredUpTo);
    }
  }

  /** "Send me the decided slots from {@code fromSlot} on." */
  record CatchUpRequest(long fromSlot) implements PaxosMessage {
    public CatchUpRequest {
      requireSlot(fromSlot);
    }
  }

  /** Decided slots in slot order; each is checked like a {@link Decide}. */
  record CatchUpReply(List<Decide> decisions) implements PaxosMessage {
    public CatchUpReply {
      decisions = List.copyOf(decisions);
      requireAtMost(decisions.size(), ENTRIES_MAX, "decisions");
    }
  }

  private static void requireSlot(long slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
  }

  private static void requireAtMost(int count, int max, String what) {
    if (count > max) {
      throw new IllegalArgumentException("at most " + max + " " + what + ", not " + count);
    }
  }
}
