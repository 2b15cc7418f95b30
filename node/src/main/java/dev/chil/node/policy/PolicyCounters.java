package dev.chil.node.policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the policy refused, by reason, and how its reloads went. Thread-safe. */
public final class PolicyCounters {
  private final Map<Refusal.Reason, LongAdder> refused = new EnumMap<>(Refusal.Reason.class);
  private final LongAdder reloaded = new LongAdder();
  private final LongAdder reloadsRefused = new LongAdder();

  public PolicyCounters() {
    for (Refusal.Reason reason : Refusal.Reason.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  void countRefused(Refusal.Reason reason) {
    refused.get(reason).increment();
  }

  void countReloaded() {
    reloaded.increment();
  }

  void countReloadRefused() {
    reloadsRefused.increment();
  }

  public long refused(Refusal.Reason reason) {
    return refused.get(reason).sum();
  }

  public long reloaded() {
    return reloaded.sum();
  }

  public long reloadsRefused() {
    return reloadsRefused.sum();
  }
}
