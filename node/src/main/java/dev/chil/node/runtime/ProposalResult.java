package dev.chil.node.runtime;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.QuorumCertificate;

/**
 * The outcome of a decided proposal.
 *
 * @param success whether the state machine let the command take effect (false: e.g. the key
 *     already had a decided value under first-wins); either way the command was decided and audited
 * @param value the value that stands for the key after the command
 * @param slot the slot that decided the command
 * @param auditIndex the command's index in this node's audit chain
 * @param certificate the quorum certificate of the slot
 * @param position the command's position among the slot's commands
 * @param proofs the slot's trees, for the command's inclusion proof (and, in pbft, its result's)
 */
public record ProposalResult(boolean success, ByteString value, long slot, long auditIndex, QuorumCertificate certificate,
    int position, SlotProofs proofs) {}
