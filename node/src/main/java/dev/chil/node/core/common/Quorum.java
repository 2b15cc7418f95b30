package dev.chil.node.core.common;

import java.util.Collection;
import java.util.Objects;

/** The roster's weights under a rule: whether a set of distinct members is a quorum. */
public final class Quorum {
  private final Roster roster;
  private final QuorumRule rule;

  public Quorum(Roster roster, QuorumRule rule) {
    this.roster = Objects.requireNonNull(roster, "roster");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  /** {@code members} must be distinct; non-members weigh nothing. */
  public boolean reached(Collection<String> members) {
    long weight = 0;
    for (String member : members) {
      weight += roster.weight(member);
    }
    return rule.reached(weight, roster.totalWeight());
  }

  public Roster roster() {
    return roster;
  }
}
