package dev.chil.node.core.common;

/**
 * When a set of voters' weight is enough. Production uses {@link #MAJORITY}; the rule is an
 * object so that the simulator's teeth test can hand a core a broken one and watch it fail.
 */
@FunctionalInterface
public interface QuorumRule {

  /** More than half of the total weight: any two such sets share a member. */
  QuorumRule MAJORITY = (weight, totalWeight) -> 2 * weight > totalWeight;

  boolean reached(long weight, long totalWeight);
}
