package dev.chil.node.core.common;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** The cluster's voting members and their weights, in name order (never hash order). */
public final class Roster {
  public static final int MEMBERS_MAX = 64;

  private final String cluster;
  private final TreeMap<String, Integer> weights;
  private final long totalWeight;

  private Roster(String cluster, SortedMap<String, Integer> weights) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.weights = new TreeMap<>(weights);
    if (this.weights.isEmpty() || this.weights.size() > MEMBERS_MAX) {
      throw new IllegalArgumentException("a roster has 1-" + MEMBERS_MAX + " members, not " + this.weights.size());
    }
    long total = 0;
    for (Map.Entry<String, Integer> entry : this.weights.entrySet()) {
      if (entry.getKey().isEmpty() || entry.getValue() == null || entry.getValue() < 1) {
        throw new IllegalArgumentException("member '" + entry.getKey() + "' needs a name and a weight of at least 1");
      }
      total += entry.getValue();
    }
    this.totalWeight = total;
  }

  public static Roster of(String cluster, SortedMap<String, Integer> weights) {
    return new Roster(cluster, weights);
  }

  /** Every member with weight 1. */
  public static Roster equal(String cluster, Iterable<String> names) {
    TreeMap<String, Integer> weights = new TreeMap<>();
    for (String name : names) {
      if (weights.put(name, 1) != null) {
        throw new IllegalArgumentException("member '" + name + "' is named twice");
      }
    }
    return new Roster(cluster, weights);
  }

  public String cluster() {
    return cluster;
  }

  public boolean contains(String name) {
    return weights.containsKey(name);
  }

  /** 0 for a non-member. */
  public int weight(String name) {
    return weights.getOrDefault(name, 0);
  }

  public long totalWeight() {
    return totalWeight;
  }

  public NavigableSet<String> names() {
    return Collections.unmodifiableNavigableSet(weights.navigableKeySet());
  }

  public int size() {
    return weights.size();
  }

  @Override
  public String toString() {
    return "Roster[" + cluster + " " + weights + "]";
  }
}
