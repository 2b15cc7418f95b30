package dev.chil.node.core.common;

/**
 * A protocol message between replicas. Each protocol declares a sealed sub-interface of records;
 * the transport authenticates the sender before a message reaches a core.
 */
public interface PeerMessage {}
