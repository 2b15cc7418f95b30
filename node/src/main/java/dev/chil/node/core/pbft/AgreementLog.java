package dev.chil.node.core.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The three-phase state of each sequence number in the window, for the current view only (a new
 * view starts it afresh), and the prepared certificate of the highest view per sequence, which
 * outlives views: ViewChanges carry it.
 */
final class AgreementLog {
  /** One sequence number in the current view. */
  static final class Entry {
    final long sequence;
    PbftMessage.PrePrepare prePrepare;
    final TreeMap<String, PbftMessage.PbftPrepare> prepares = new TreeMap<>();
    final TreeMap<String, PbftMessage.Commit> commits = new TreeMap<>();
    boolean commitSent; // prepared here, in this view
    boolean committed; // committed-local here, in this view

    Entry(long sequence) {
      this.sequence = sequence;
    }

    /** Prepares matching the accepted PrePrepare, in sender order. */
    List<PbftMessage.PbftPrepare> matchingPrepares() {
      List<PbftMessage.PbftPrepare> matching = new ArrayList<>();
      for (PbftMessage.PbftPrepare prepare : prepares.values()) {
        if (prePrepare != null && prepare.digest().equals(prePrepare.digest())) {
          matching.add(prepare);
        }
      }
      return matching;
    }

    /** Commits matching the accepted PrePrepare, in sender order. */
    List<PbftMessage.Commit> matchingCommits() {
      List<PbftMessage.Commit> matching = new ArrayList<>();
      for (PbftMessage.Commit commit : commits.values()) {
        if (prePrepare != null && commit.digest().equals(prePrepare.digest())) {
          matching.add(commit);
        }
      }
      return matching;
    }
  }

  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private final TreeMap<Long, PbftMessage.PreparedCertificate> prepared = new TreeMap<>();

  Entry entry(long sequence) {
    return entries.computeIfAbsent(sequence, Entry::new);
  }

  Entry find(long sequence) {
    return entries.get(sequence);
  }

  Iterable<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** Keeps the certificate if it is of a view at least as high as the one held. */
  void prepared(PbftMessage.PreparedCertificate certificate) {
    PbftMessage.PreparedCertificate known = prepared.get(certificate.sequence());
    if (known == null || known.view() <= certificate.view()) {
      prepared.put(certificate.sequence(), certificate);
    }
  }

  /** Prepared certificates from {@code from} on, in sequence order. */
  List<PbftMessage.PreparedCertificate> preparedFrom(long from) {
    return new ArrayList<>(prepared.tailMap(from, true).values());
  }

  /** A view change: the per-view state goes, the prepared certificates stay. */
  void newView() {
    entries.clear();
  }

  void forgetBelow(long sequence) {
    entries.headMap(sequence, false).clear();
    prepared.headMap(sequence, false).clear();
  }

  /** The highest sequence in this view with a PrePrepare accepted, or -1. */
  long highestPrePrepared() {
    for (Entry entry : entries.descendingMap().values()) {
      if (entry.prePrepare != null) {
        return entry.sequence;
      }
    }
    return -1;
  }
}
