package dev.chil.node.core.paxos.sim;

import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosStorageState;

/**
 * Storage that misbehaves on purpose, for the teeth test: on restart the acceptor's promise falls
 * back to the highest ballot it accepted in, as if the promise alone had never reached the disk.
 * It writes an ordinary (lower) promise record, so main code needs no hook for it.
 */
final class ForgetfulStorage {
  private ForgetfulStorage() {}

  static void forgetPromise(PaxosStorageState stored) {
    Ballot highestAccepted = Ballot.ZERO;
    for (AcceptedEntry entry : stored.accepted().values()) {
      if (entry.ballot().isAbove(highestAccepted)) {
        highestAccepted = entry.ballot();
      }
    }
    stored.apply(new PaxosDurable.Promised(highestAccepted));
  }
}
