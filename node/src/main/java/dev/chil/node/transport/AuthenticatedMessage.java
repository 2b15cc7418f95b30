package dev.chil.node.transport;

import com.google.protobuf.ByteString;

/**
 * A peer message that passed the trust boundary: its sender is the node whose TLS certificate
 * carried it, and its signature verified. Only these reach the protocol core.
 */
public record AuthenticatedMessage(String sender, String messageType, ByteString payload) {}
