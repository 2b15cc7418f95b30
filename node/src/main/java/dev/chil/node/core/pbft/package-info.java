/**
 * PBFT (Castro and Liskov) as a pure state machine: {@link dev.chil.node.core.pbft.PbftReplica}.
 * Signed PrePrepare, Prepare and Commit per batch, 2f+1 signed Commits as each sequence number's
 * quorum certificate, checkpoints with watermarks, view change and NewView with the proofs they
 * carry, catch-up by certificates, and equivocation evidence.
 */
package dev.chil.node.core.pbft;
