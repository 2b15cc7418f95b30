package dev.chil.audit.chain;

/** The quorum arithmetic of both protocols, apart so that it can be read and tested alone. */
public final class Quorum {
  private Quorum() {}

  /**
   * Paxos: the signers' weight exceeds half the roster's weight. PBFT: n = roster size,
   * f = floor((n-1)/3), at least 2f+1 distinct signers.
   */
  public static boolean reached(Genesis genesis, int distinctSigners, long signerWeight) {
    return switch (genesis.protocol()) {
      case PAXOS -> 2 * signerWeight > genesis.totalWeight();
      case PBFT -> distinctSigners >= pbftQuorum(genesis.roster().size());
    };
  }

  /** 2f+1 with f = floor((n-1)/3). */
  public static int pbftQuorum(int rosterSize) {
    int f = (rosterSize - 1) / 3;
    return 2 * f + 1;
  }

  static String describe(Genesis genesis, int distinctSigners, long signerWeight) {
    return switch (genesis.protocol()) {
      case PAXOS -> "votes of weight " + signerWeight + " of " + genesis.totalWeight()
          + "; paxos needs more than half";
      case PBFT -> distinctSigners + " distinct signers of " + genesis.roster().size()
          + "; pbft needs " + pbftQuorum(genesis.roster().size());
    };
  }
}
