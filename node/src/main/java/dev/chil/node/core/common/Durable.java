package dev.chil.node.core.common;

/**
 * A piece of replica state that must be on stable storage before any message of the same
 * {@link Output} is sent. Each protocol declares a sealed sub-interface of records.
 */
public interface Durable {}
