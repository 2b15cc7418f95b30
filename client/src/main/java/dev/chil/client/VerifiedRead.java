package dev.chil.client;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A read's answer. In pbft it verified: {@code vouchers} are the 2f+1 or more replicas that
 * signed it. In paxos it is the leader's answer (crash-tolerant nodes do not lie) and
 * {@code vouchers} is empty.
 *
 * @param slot the slot that decided the value; 0 when not found
 */
public record VerifiedRead(String key, boolean found, ByteString value, long slot, List<String> vouchers) {}
