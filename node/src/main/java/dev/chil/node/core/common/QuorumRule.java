package dev.chil.node.core.common;

/**
 * When a set of voters' weight is enough. Production uses {@link #MAJORITY}; the rule is an
 * object so that the simulator's teeth test can hand a core a broken one and watch it fail.
 */
@FunctionalInterface
public interface QuorumRule {

  /** More than half of the total weight: any two such sets share a member. */
  QuorumRule MAJORITY = (weight, totalWeight) -> 2 * weight > totalWeight;

  /**
   * PBFT's 2f+1 of n = 3f+1 members of weight 1 (f = floor((n-1)/3)): any two such sets share
   * f+1 members, so at least one correct one.
   */
  QuorumRule BYZANTINE = (weight, totalWeight) -> weight >= 2 * ((totalWeight - 1) / 3) + 1;

  boolean reached(long weight, long totalWeight);
}
