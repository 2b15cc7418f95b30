package dev.chil.node.runtime;

import dev.chil.node.core.common.Durable;
import java.util.List;

/** Where a core's durable records go: all of one call in one transaction, on disk when it returns. */
public interface DurableStore {
  /** @throws RuntimeException when the records may not be durable; the driver then stops the node */
  void persist(List<Durable> records);
}
