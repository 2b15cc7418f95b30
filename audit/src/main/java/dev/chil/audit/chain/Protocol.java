package dev.chil.audit.chain;

import java.util.Locale;

/**
 * Which consensus protocol wrote the log, and therefore which quorum a slot's certificate must
 * reach. The audit log knows nothing else about the protocols.
 */
public enum Protocol {
  /** Crash faults, n = 2f+1: the signers' total weight must exceed half the roster's weight. */
  PAXOS("weight>half"),
  /** Byzantine faults, n = 3f+1 with f = floor((n-1)/3): at least 2f+1 distinct signers. */
  PBFT("2f+1-of-3f+1");

  private final String quorumRule;

  Protocol(String quorumRule) {
    this.quorumRule = quorumRule;
  }

  /** The name stored in the genesis record: {@code paxos} or {@code pbft}. */
  public String storedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The quorum rule's name as stored in the genesis record and hashed into it. */
  public String quorumRule() {
    return quorumRule;
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static Protocol fromStoredName(String name) {
    for (Protocol protocol : values()) {
      if (protocol.storedName().equals(name)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException("protocol '" + name + "' is neither 'paxos' nor 'pbft'");
  }
}
