package dev.chil.node.assembly;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The leader this node knows, as the driver reports it after each turn that changes it, and the
 * calls waiting for it to change: a call that needs a leader waits here, woken by the change
 * itself, never by polling.
 */
final class LeaderWatch {
  private record Waiter(Predicate<String> until, CompletableFuture<String> ready) {}

  private final Executor executor;
  private final List<Waiter> waiters = new ArrayList<>();
  private String leader;

  /** @param executor where waiters are woken, so that the driver thread that reports a change never runs them */
  LeaderWatch(Executor executor) {
    this.executor = executor;
  }

  /** The driver's report: {@code newLeader} leads now, or null when no leader is known. */
  void changed(String newLeader) {
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      leader = newLeader;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter waiter = it.next();
        if (waiter.until().test(newLeader)) {
          it.remove();
          woken.add(waiter);
        }
      }
    }
    for (Waiter waiter : woken) {
      executor.execute(() -> waiter.ready().complete(newLeader));
    }
  }

  synchronized String leader() {
    return leader;
  }

  /**
   * Completes with the leader once {@code until} holds for it: at once if it holds now, else at the
   * change that makes it hold. Cancelling the future stops the wait and forgets it.
   */
  CompletableFuture<String> await(Predicate<String> until) {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Waiter waiter = new Waiter(until, ready);
    String now;
    synchronized (this) {
      now = leader;
      if (!until.test(now)) {
        waiters.add(waiter);
        ready.whenComplete((done, error) -> forget(waiter));
        return ready;
      }
    }
    ready.complete(now);
    return ready;
  }

  /** Calls waiting now; none may be left behind once every call has ended. */
  synchronized int waiting() {
    return waiters.size();
  }

  private synchronized void forget(Waiter waiter) {
    waiters.remove(waiter);
  }
}
