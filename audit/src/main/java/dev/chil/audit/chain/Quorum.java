package dev.chil.audit.chain;

import java.util.List;

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

  /** The largest weight a roster member may have: sums of up to 2^31 members stay in a long. */
  public static final long WEIGHT_MAX = 0xFFFF_FFFFL;

  /**
   * Why this protocol cannot run safely with this roster, or null when it can (FORMAT.md, "Sound
   * quorums"). Paxos: every weight in 1..{@link #WEIGHT_MAX}; a slot then needs a strict majority
   * of weight, and any two majorities share a member. PBFT: every weight 1 and n = 3f+1, so that
   * two quorums of 2f+1 share f+1 members, at least one of them correct.
   */
  public static String unsoundness(Protocol protocol, List<RosterMember> roster) {
    for (RosterMember member : roster) {
      if (member.weight() < 1 || member.weight() > WEIGHT_MAX) {
        return "the weight of " + member.node() + " is " + member.weight() + "; weights are 1.." + WEIGHT_MAX;
      }
      if (protocol == Protocol.PBFT && member.weight() != 1) {
        return "pbft counts signers, not weight: the weight of " + member.node() + " must be 1, not "
            + member.weight();
      }
    }
    if (protocol == Protocol.PBFT && roster.size() % 3 != 1) {
      return "pbft needs n = 3f+1 nodes (1, 4, 7, ...); " + roster.size() + " nodes would let two quorums of "
          + pbftQuorum(roster.size()) + " share no correct node";
    }
    return null;
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
