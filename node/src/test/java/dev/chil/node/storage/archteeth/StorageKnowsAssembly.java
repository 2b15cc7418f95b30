package dev.chil.node.storage.archteeth;

import dev.chil.node.assembly.Recovery;
import dev.chil.node.cli.Main;
import dev.chil.node.runtime.DurableStore;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: storage reaching up to the assembly, the driver and the CLI. */
public final class StorageKnowsAssembly implements DurableStore {
  @Override
  public void persist(java.util.List<dev.chil.node.core.common.Durable> records) {
    throw new UnsupportedOperationException(Recovery.class.getName() + Main.class.getName());
  }
}
