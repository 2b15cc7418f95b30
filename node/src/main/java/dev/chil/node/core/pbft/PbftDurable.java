package dev.chil.node.core.pbft;

import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import java.util.Objects;

/**
 * What PBFT safety rests on across a crash; see {@link PbftStorageState}. Each record is on disk
 * before the message that depends on it leaves the node, so a restarted correct replica never
 * sends a Prepare, Commit or ViewChange that conflicts with one it sent before.
 */
public sealed interface PbftDurable extends Durable {

  /** This replica accepted (or, as primary, issued) this PrePrepare: no other for its view and sequence. */
  record PrePrepared(PbftMessage.PrePrepare prePrepare) implements PbftDurable {
    public PrePrepared {
      Objects.requireNonNull(prePrepare, "prePrepare");
    }
  }

  /** The sequence prepared in the certificate's view: later ViewChanges must carry it (or a newer one). */
  record Prepared(PbftMessage.PreparedCertificate certificate) implements PbftDurable {
    public Prepared {
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /** The replica left its view for {@code viewChange.newView()} and sent this ViewChange (and no other for it). */
  record ViewChangeSent(PbftMessage.ViewChange viewChange) implements PbftDurable {
    public ViewChangeSent {
      Objects.requireNonNull(viewChange, "viewChange");
    }
  }

  /** The replica entered {@code view}, by this NewView (null for view 0). */
  record ViewEntered(long view, PbftMessage.NewView newView) implements PbftDurable {}

  /** A checkpoint became stable: its proof; everything below its sequence may be forgotten. */
  record StableCheckpoint(CheckpointProof proof) implements PbftDurable {
    public StableCheckpoint {
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** The sequence was executed (in order); the next execution is {@code slot + 1}. */
  record Executed(Decision decision) implements PbftDurable {
    public Executed {
      Objects.requireNonNull(decision, "decision");
    }
  }
}
