package dev.chil.node.core.archteeth;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Deliberately impure, for {@code ArchitectureTeethTest}: a "core" that reads the clock, starts a
 * thread, iterates a hash map and knows the driver. The purity rules must reject it.
 */
public final class ImpureCore {
  private final Map<String, Long> seen = new HashMap<>();

  public long now() {
    return Clock.systemUTC().millis() + System.nanoTime();
  }

  public void work() {
    new Thread(seen::clear).start();
  }

  public String driverName() {
    return dev.chil.node.runtime.Driver.class.getName();
  }
}
