package dev.chil.node.policy;

/** What a client call does to a key, as the policy's limits and access rules see it. */
public enum Operation {
  /** ConsensusService.Propose. */
  PROPOSE,
  /** ConsensusService.Read, and Status and Roster (limited as reads; they name no key). */
  READ;

  /** As the policy file writes it: {@code propose}, {@code read}. */
  public String key() {
    return this == PROPOSE ? "propose" : "read";
  }
}
