package dev.chil.node.runtime;

import dev.chil.node.core.common.Evidence;
import java.util.List;

/**
 * Where proof that a peer equivocated goes: stored beside the audit chain, counted and reported.
 * Called on the driver thread, at the end of the turn that found it.
 */
@FunctionalInterface
public interface EvidenceSink {
  EvidenceSink NONE = evidence -> {};

  void record(List<Evidence> evidence);
}
