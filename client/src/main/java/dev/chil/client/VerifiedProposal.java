package dev.chil.client;

import com.google.protobuf.ByteString;
import dev.chil.proto.v1.ProposeResponse;
import java.util.List;

/**
 * A decided proposal whose answer verified: its certificate's signers are a quorum of the
 * roster, the command is in the certified slot, and (pbft) {@code vouchers} are the f+1 or more
 * replicas that signed its result.
 *
 * @param success whether the command took effect (false: the key already had a decided value)
 * @param value the value that stands for the key after the command
 * @param answer the answer as it came, proofs included, for keeping as evidence of the decision
 */
public record VerifiedProposal(String key, String requestId, boolean success, ByteString value, long slot,
    long auditIndex, List<String> certifiedBy, List<String> vouchers, ProposeResponse answer) {}
