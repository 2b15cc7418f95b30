package dev.chil.node.runtime;

/**
 * Where the proofs of each executed slot go, for a node whose replicas vouch for results (pbft):
 * called on the driver thread after the slot is audited and applied, so it must not block.
 */
@FunctionalInterface
public interface ResultSink {
  ResultSink NONE = proofs -> {};

  void executed(SlotProofs proofs);
}
