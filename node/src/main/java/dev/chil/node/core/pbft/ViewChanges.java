package dev.chil.node.core.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checked ViewChanges for views at or above the current one: per sender, the first one for each
 * view, at most two views per sender (the current one and its highest), so a peer cannot fill memory
 * by announcing ever higher views.
 */
final class ViewChanges {
  private final TreeMap<Long, TreeMap<String, PbftMessage.ViewChange>> byView = new TreeMap<>();

  /** Records the first ViewChange of its sender for its view; returns the one known before, or null. */
  PbftMessage.ViewChange add(PbftMessage.ViewChange viewChange, long currentView) {
    TreeMap<String, PbftMessage.ViewChange> senders = byView.computeIfAbsent(viewChange.newView(), v -> new TreeMap<>());
    PbftMessage.ViewChange known = senders.putIfAbsent(viewChange.replica(), viewChange);
    if (known == null) {
      // Keep, above the current view, only this sender's highest announced view.
      long highest = -1;
      for (Map.Entry<Long, TreeMap<String, PbftMessage.ViewChange>> entry : byView.tailMap(currentView, false).entrySet()) {
        if (entry.getValue().containsKey(viewChange.replica())) {
          highest = entry.getKey();
        }
      }
      for (Map.Entry<Long, TreeMap<String, PbftMessage.ViewChange>> entry : byView.tailMap(currentView, false).entrySet()) {
        if (entry.getKey() < highest) {
          entry.getValue().remove(viewChange.replica());
        }
      }
      byView.values().removeIf(Map::isEmpty);
    }
    return known;
  }

  /** True when this very ViewChange (signature and all) is held. */
  boolean contains(PbftMessage.ViewChange viewChange) {
    TreeMap<String, PbftMessage.ViewChange> senders = byView.get(viewChange.newView());
    return senders != null && viewChange.equals(senders.get(viewChange.replica()));
  }

  /** The replicas that sent a ViewChange for {@code view} or a higher one. */
  List<String> sendersAtOrAbove(long view) {
    TreeSet<String> senders = new TreeSet<>();
    for (TreeMap<String, PbftMessage.ViewChange> each : byView.tailMap(view, true).values()) {
      senders.addAll(each.keySet());
    }
    return new ArrayList<>(senders);
  }

  /** The ViewChanges for {@code view}, in sender order. */
  List<PbftMessage.ViewChange> forView(long view) {
    TreeMap<String, PbftMessage.ViewChange> senders = byView.get(view);
    return senders == null ? List.of() : new ArrayList<>(senders.values());
  }

  /**
   * The smallest view above {@code view} that {@code count} distinct senders announced a view at or
   * above; -1 when fewer announced any.
   */
  long joinableAbove(long view, int count) {
    TreeMap<String, Long> highestBySender = new TreeMap<>();
    TreeMap<String, Long> lowestBySender = new TreeMap<>();
    for (Map.Entry<Long, TreeMap<String, PbftMessage.ViewChange>> entry : byView.tailMap(view, false).entrySet()) {
      for (String sender : entry.getValue().keySet()) {
        highestBySender.put(sender, entry.getKey());
        lowestBySender.putIfAbsent(sender, entry.getKey());
      }
    }
    if (highestBySender.size() < count) {
      return -1;
    }
    TreeSet<Long> views = new TreeSet<>(lowestBySender.values());
    return views.first();
  }

  void forgetBelow(long view) {
    byView.headMap(view, false).clear();
  }
}
