package dev.chil.node.assembly;

/**
 * What the node's status, health and metrics show of its core, read on the driver thread, in
 * words both protocols share.
 *
 * @param leads this node leads (paxos) or is the primary of a view it is in (pbft)
 * @param role "leader", "candidate" (standing for election, or changing view) or "follower"
 * @param leader who leads as this node believes (possibly itself), or null when unknown
 * @param epoch the highest ballot promised (paxos) or the view (pbft), as text
 * @param deliveredUpTo slots (sequence numbers) decided and applied here
 * @param lagging catching up from peers: the consensus service reports NOT_SERVING meanwhile
 * @param slotsBehind decided slots known of and not applied yet
 * @param slotsInFlight slots proposed or accepted and not yet applied
 * @param waitingClients client commands waiting in the core
 */
record CoreStatus(boolean leads, String role, String leader, String epoch, long deliveredUpTo, boolean lagging,
    long slotsBehind, long slotsInFlight, int waitingClients) {}
