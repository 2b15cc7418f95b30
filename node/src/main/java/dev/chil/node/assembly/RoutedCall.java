package dev.chil.node.assembly;

import dev.chil.node.runtime.NodeUnavailableException;
import dev.chil.node.transport.GrpcReplies;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One proposal or read, carried to wherever the leader is until it is answered or its deadline
 * passes. It asks this node's driver first, which answers if this node leads; told that another
 * node leads, it forwards there; told that no leader is known, it waits until the driver reports
 * one. A forward that fails, or is still unanswered when this node learns of another leader (the
 * old one stopped or paused), is cancelled and tried again at the new leader. A proposal keeps
 * its request id however often it is carried, so it is applied once.
 *
 * <p>Waiting is event-driven: a leader change wakes the call. Only after a forward fails while
 * this node still believes in the same leader does the call pause before trying again (a
 * connection may have broken for a moment), doubling the pause up to {@link #RETRY_PAUSE_MAX}.
 */
final class RoutedCall<T> {
  static final Duration RETRY_PAUSE_MIN = Duration.ofMillis(50);
  static final Duration RETRY_PAUSE_MAX = Duration.ofSeconds(1);
  /** The call gives up this much before its deadline, at most, so that its own reason reaches the client. */
  static final Duration ANSWER_MARGIN_MAX = Duration.ofMillis(200);

  /** Where a call can be answered. */
  interface Route<T> {
    /** This node's driver: answers if this node leads, else fails with {@link NodeUnavailableException}. */
    CompletableFuture<T> here();

    /** The call, forwarded to {@code leader} with the same deadline; cancelling the future cancels the forward. */
    CompletableFuture<T> forward(String leader, Deadline deadline);
  }

  private final String what;
  private final Route<T> route;
  private final boolean forwarding;
  private final LeaderWatch watch;
  private final ScheduledExecutorService scheduler;
  private final Deadline deadline;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  // Guarded by this: the current attempt, what it waits for, and the futures it waits on.
  private final List<Future<?>> waitingOn = new ArrayList<>();
  private int attempt;
  private String waitingFor = "this node's driver";
  private long pauseMillis = RETRY_PAUSE_MIN.toMillis();

  private RoutedCall(String what, Route<T> route, boolean forwarding, LeaderWatch watch,
      ScheduledExecutorService scheduler, Deadline deadline) {
    this.what = what;
    this.route = route;
    this.forwarding = forwarding;
    this.watch = watch;
    this.scheduler = scheduler;
    this.deadline = deadline;
  }

  /**
   * Starts a call and returns its answer. Its failure is a {@link StatusRuntimeException} with
   * DEADLINE_EXCEEDED when the deadline passed (naming what the call waited for), or what the
   * node or the leader answered otherwise. Cancelling the returned future ends the call and
   * everything it waits on.
   *
   * @param what the call, for messages ("the proposal")
   * @param forwarding false at the receiving end of a forward: told another node leads, the call
   *     fails (UNAVAILABLE with the leader's name) and the forwarding node follows the hint
   */
  static <T> CompletableFuture<T> start(String what, Route<T> route, boolean forwarding, LeaderWatch watch,
      ScheduledExecutorService scheduler, Deadline deadline) {
    RoutedCall<T> call = new RoutedCall<>(what, route, forwarding, watch, scheduler, deadline);
    call.begin();
    return call.result;
  }

  private void begin() {
    long remaining = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    long margin = Math.min(ANSWER_MARGIN_MAX.toNanos(), Math.max(0, remaining / 10));
    Future<?> timer = scheduler.schedule(this::expire, Math.max(0, remaining - margin), TimeUnit.NANOSECONDS);
    result.whenComplete((value, error) -> {
      timer.cancel(false);
      endAttempt();
    });
    attempt();
  }

  private synchronized void attempt() {
    if (result.isDone()) {
      return;
    }
    int current = ++attempt;
    waitingFor = "this node's driver";
    CompletableFuture<T> here = route.here();
    // Cancelled when the call ends unanswered, so that the driver forgets it.
    waitingOn.add(here);
    here.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else {
        scheduler.execute(() -> hereFailed(current, GrpcReplies.unwrap(error)));
      }
    });
  }

  private synchronized void hereFailed(int current, Throwable cause) {
    if (current != attempt || result.isDone()) {
      return;
    }
    if (!(cause instanceof NodeUnavailableException unavailable)
        || unavailable.reason() != NodeUnavailableException.Reason.NOT_LEADER) {
      result.completeExceptionally(ClientStatus.of(cause));
    } else if (unavailable.leaderHint() == null) {
      waitingFor = "a leader to be elected";
      retryWhen(current, watch.await(leader -> leader != null));
    } else if (!forwarding) {
      result.completeExceptionally(ClientStatus.of(cause));
    } else {
      forwardTo(current, unavailable.leaderHint());
    }
  }

  private void forwardTo(int current, String leader) {
    waitingFor = leader + ", the leader, to answer";
    CompletableFuture<T> answer = route.forward(leader, deadline);
    waitingOn.add(answer);
    answer.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else {
        scheduler.execute(() -> forwardFailed(current, leader, GrpcReplies.unwrap(error)));
      }
    });
    // A leader that stopped answering (paused, cut off) may never fail the forward: follow the next one.
    retryWhen(current, watch.await(known -> !leader.equals(known)));
  }

  private synchronized void forwardFailed(int current, String leader, Throwable cause) {
    if (current != attempt || result.isDone()) {
      return;
    }
    if (!ClientStatus.retryable(cause)) {
      result.completeExceptionally(ClientStatus.ofForward(leader, cause));
      return;
    }
    endAttempt();
    waitingFor = "a leader other than " + leader + ", which did not answer ("
        + (cause instanceof StatusRuntimeException status ? status.getStatus().getCode() : cause) + ")";
    Future<?> pause = scheduler.schedule(() -> retry(current), pauseMillis, TimeUnit.MILLISECONDS);
    waitingOn.add(pause);
    pauseMillis = Math.min(2 * pauseMillis, RETRY_PAUSE_MAX.toMillis());
    retryWhen(current, watch.await(known -> known != null && !leader.equals(known)));
  }

  private void retryWhen(int current, CompletableFuture<String> leaderChange) {
    waitingOn.add(leaderChange);
    leaderChange.thenRun(() -> retry(current));
  }

  private synchronized void retry(int current) {
    if (current != attempt || result.isDone()) {
      return;
    }
    endAttempt();
    attempt();
  }

  /** Cancels what the current attempt waits on: a forward, a leader wait, a pause. */
  private synchronized void endAttempt() {
    List<Future<?>> cancelled = List.copyOf(waitingOn);
    waitingOn.clear();
    cancelled.forEach(future -> future.cancel(true));
  }

  private synchronized void expire() {
    result.completeExceptionally(Status.DEADLINE_EXCEEDED
        .withDescription(what + " was not answered before its deadline; it waited for " + waitingFor)
        .asRuntimeException());
  }
}
