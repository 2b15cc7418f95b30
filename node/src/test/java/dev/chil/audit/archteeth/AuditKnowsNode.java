package dev.chil.audit.archteeth;

import dev.chil.node.core.common.Replica;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: an audit class that knows a consensus core. */
public final class AuditKnowsNode {
  public String name(Replica replica) {
    return replica.name();
  }
}
