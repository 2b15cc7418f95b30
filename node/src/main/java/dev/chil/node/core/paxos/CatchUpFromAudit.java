package dev.chil.node.core.paxos;

import dev.chil.node.core.common.PeerMessage;

/**
 * Not a wire message: what a replica asks its runtime to do for a peer that wants decided slots
 * this replica no longer holds in memory. The runtime reads the slots {@code fromSlot} up to
 * {@code fromSlot + slotsMax} (fewer if the log ends sooner) from the node's audit log, which keeps
 * every decided slot with its quorum certificate forever, and sends them to the envelope's peer as
 * a {@link PaxosMessage.CatchUpReply}. The receiver checks every certificate as it checks a
 * {@link PaxosMessage.Decide}, so the runtime vouches for nothing.
 *
 * <p>The core stays pure this way: it decides what to serve; the runtime does the IO, and may do
 * it off the driver thread, since only slots already audited are asked for.
 */
public record CatchUpFromAudit(long fromSlot, int slotsMax) implements PeerMessage {
  public CatchUpFromAudit {
    if (fromSlot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + fromSlot);
    }
    if (slotsMax < 1 || slotsMax > PaxosMessage.ENTRIES_MAX) {
      throw new IllegalArgumentException("slotsMax must be 1-" + PaxosMessage.ENTRIES_MAX + ", not " + slotsMax);
    }
  }
}
