package dev.chil.node.core.pbft;

import dev.chil.node.core.common.Decision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a PBFT replica's storage holds: the fold of every {@link PbftDurable} its outputs asked to
 * persist, and all a restarted replica is built from. A driver keeps it in SQLite; the simulator
 * keeps it in memory. Not thread-safe.
 */
public final class PbftStorageState {
  private long view;
  private PbftMessage.ViewChange viewChange; // the one sent for {@code view}, if that view is not entered
  private PbftMessage.NewView newView;
  private CheckpointProof stable = CheckpointProof.GENESIS;
  // Per sequence, the PrePrepare of the highest view accepted, and the prepared certificate likewise.
  private final TreeMap<Long, PbftMessage.PrePrepare> prePrepared = new TreeMap<>();
  private final TreeMap<Long, PbftMessage.PreparedCertificate> prepared = new TreeMap<>();
  private final List<Decision> executed = new ArrayList<>();

  public void apply(PbftDurable record) {
    if (record instanceof PbftDurable.PrePrepared accepted) {
      PbftMessage.PrePrepare prePrepare = accepted.prePrepare();
      PbftMessage.PrePrepare known = prePrepared.get(prePrepare.sequence());
      if (known == null || known.view() <= prePrepare.view()) {
        prePrepared.put(prePrepare.sequence(), prePrepare);
      }
    } else if (record instanceof PbftDurable.Prepared certificate) {
      PbftMessage.PreparedCertificate known = prepared.get(certificate.certificate().sequence());
      if (known == null || known.view() <= certificate.certificate().view()) {
        prepared.put(certificate.certificate().sequence(), certificate.certificate());
      }
    } else if (record instanceof PbftDurable.ViewChangeSent sent) {
      view = sent.viewChange().newView();
      viewChange = sent.viewChange();
      newView = null;
    } else if (record instanceof PbftDurable.ViewEntered entered) {
      view = entered.view();
      viewChange = null;
      newView = entered.newView();
    } else if (record instanceof PbftDurable.StableCheckpoint checkpoint) {
      if (checkpoint.proof().sequence() > stable.sequence()) {
        stable = checkpoint.proof();
        prePrepared.headMap(stable.sequence(), false).clear();
        prepared.headMap(stable.sequence(), false).clear();
      }
    } else if (record instanceof PbftDurable.Executed execution) {
      long expected = executed.size();
      if (execution.decision().slot() != expected) {
        throw new IllegalStateException("executed sequence " + execution.decision().slot() + ", expected " + expected);
      }
      executed.add(execution.decision());
    } else {
      throw new AssertionError("unknown durable record " + record);
    }
  }

  /** A copy, as a restarted replica would read it back. */
  public PbftStorageState copy() {
    PbftStorageState copy = new PbftStorageState();
    copy.view = view;
    copy.viewChange = viewChange;
    copy.newView = newView;
    copy.stable = stable;
    copy.prePrepared.putAll(prePrepared);
    copy.prepared.putAll(prepared);
    copy.executed.addAll(executed);
    return copy;
  }

  /** Drops every prepared certificate: what a broken disk would do (for the simulator's teeth test). */
  public void forgetPrepared() {
    prepared.clear();
  }

  public long view() {
    return view;
  }

  /** The ViewChange sent for {@link #view()} when that view was not entered yet; else null. */
  public PbftMessage.ViewChange viewChange() {
    return viewChange;
  }

  public PbftMessage.NewView newView() {
    return newView;
  }

  public CheckpointProof stable() {
    return stable;
  }

  public NavigableMap<Long, PbftMessage.PrePrepare> prePrepared() {
    return Collections.unmodifiableNavigableMap(prePrepared);
  }

  public NavigableMap<Long, PbftMessage.PreparedCertificate> prepared() {
    return Collections.unmodifiableNavigableMap(prepared);
  }

  /** Executed decisions, sequence 0 first, no gaps. */
  public List<Decision> executed() {
    return Collections.unmodifiableList(executed);
  }
}
