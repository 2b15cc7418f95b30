package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chil.node.runtime.NodeUnavailableException;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call carried to wherever the leader is: the node's driver and the forwards are stand-ins the
 * test answers, and the test reports leader changes as the driver would.
 */
class RoutedCallTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final LeaderWatch watch = new LeaderWatch(scheduler);
  /** What this node's driver answers: by default, that the leader the watch knows leads. */
  private Supplier<CompletableFuture<String>> here =
      () -> CompletableFuture.failedFuture(NodeUnavailableException.notLeader(watch.leader()));
  /** The forwards made, in order, and their answers, which the test completes. */
  private final List<String> forwardedTo = new CopyOnWriteArrayList<>();
  private final Map<String, List<CompletableFuture<String>>> forwards = new ConcurrentHashMap<>();

  {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void withNoLeaderKnownTheCallWaitsForOneAndIsCarriedThere() throws Exception {
    CompletableFuture<String> call = start(true, LONG);
    await().atMost(Duration.ofSeconds(30)).until(() -> watch.waiting() == 1);
    assertThat(call).isNotDone();

    watch.changed("n2");
    forward("n2").complete("answered by n2");

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("answered by n2");
    assertThat(forwardedTo).containsExactly("n2");
  }

  @Test
  void aForwardStillUnansweredWhenAnotherLeaderIsKnownIsCancelledAndCarriedToIt() throws Exception {
    watch.changed("n2");
    CompletableFuture<String> call = start(true, LONG);
    CompletableFuture<String> stalled = forward("n2");

    watch.changed("n3");
    forward("n3").complete("answered by n3");

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("answered by n3");
    assertThat(stalled).isCancelled();
    assertThat(forwardedTo).containsExactly("n2", "n3");
  }

  @Test
  void aForwardThatFailsIsCarriedToTheNextLeader() throws Exception {
    watch.changed("n2");
    CompletableFuture<String> call = start(true, LONG);
    forward("n2").completeExceptionally(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());

    watch.changed("n3");
    forward("n3").complete("answered by n3");

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("answered by n3");
  }

  @Test
  void aForwardThatFailsWhileTheLeaderStaysIsTriedAgainAfterAPause() throws Exception {
    watch.changed("n2");
    CompletableFuture<String> call = start(true, LONG);
    forward("n2").completeExceptionally(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());

    forward("n2", 1).complete("answered by n2");

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("answered by n2");
  }

  @Test
  void theDeadlineEndsTheCallNamingWhatItWaitedForAndNothingOfItStays() {
    CompletableFuture<String> call = start(true, Duration.ofMillis(300));

    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
          assertThat(e.getStatus().getDescription()).contains("waited for a leader to be elected");
        });
    assertThat(watch.waiting()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.getQueue().isEmpty());
  }

  @Test
  void aLeaderThatStopsAnsweringNamesItselfWhenTheDeadlinePasses() {
    watch.changed("n2");
    CompletableFuture<String> call = start(true, Duration.ofMillis(300));

    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("waited for n2, the leader, to answer"));
    assertThat(forwards.get("n2").get(0)).isCancelled();
  }

  @Test
  void aRefusalThatARetryCannotFixEndsTheCallWithItsCode() {
    watch.changed("n2");
    CompletableFuture<String> tooLarge = start(true, LONG);
    forward("n2").completeExceptionally(Status.INVALID_ARGUMENT.withDescription("value too large").asRuntimeException());
    CompletableFuture<String> refused = start(true, LONG);
    forward("n2", 1).completeExceptionally(Status.PERMISSION_DENIED.withDescription("not a node").asRuntimeException());

    assertThat(codeOf(tooLarge)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(refused)).as("between nodes: not the client's fault").isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void aFullQueueIsResourceExhaustedAndAStoppingNodeUnavailable() {
    here = () -> CompletableFuture.failedFuture(NodeUnavailableException.busy("the node's queue is full"));
    assertThat(codeOf(start(true, LONG))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    here = () -> CompletableFuture.failedFuture(NodeUnavailableException.stopped("the node is stopping"));
    assertThat(codeOf(start(true, LONG))).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void atTheEndOfAForwardTheCallWaitsForALeaderButDoesNotForwardAgain() throws Exception {
    CompletableFuture<String> call = start(false, LONG);
    watch.changed("n3");

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("n3 leads");
        });
    assertThat(forwardedTo).isEmpty();
  }

  @Test
  void cancellingTheCallCancelsItsForward() {
    watch.changed("n2");
    CompletableFuture<String> call = start(true, LONG);
    CompletableFuture<String> forward = forward("n2");

    call.cancel(false);

    assertThat(forward).isCancelled();
    assertThat(watch.waiting()).isZero();
  }

  private CompletableFuture<String> start(boolean forwarding, Duration deadline) {
    return RoutedCall.start("the call", new RoutedCall.Route<>() {
      @Override
      public CompletableFuture<String> here() {
        return here.get();
      }

      @Override
      public CompletableFuture<String> forward(String leader, Deadline callDeadline) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        forwards.computeIfAbsent(leader, name -> new CopyOnWriteArrayList<>()).add(answer);
        forwardedTo.add(leader);
        return answer;
      }
    }, forwarding, watch, scheduler, Deadline.after(deadline.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The first forward to {@code leader}, once a call has made it. */
  private CompletableFuture<String> forward(String leader) {
    return forward(leader, 0);
  }

  /** The {@code index}-th forward to {@code leader}, counting from 0, once a call has made it. */
  private CompletableFuture<String> forward(String leader, int index) {
    await().atMost(Duration.ofSeconds(30)).until(() -> forwards.getOrDefault(leader, List.of()).size() > index);
    return forwards.get(leader).get(index);
  }

  private static Status.Code codeOf(CompletableFuture<String> call) {
    try {
      call.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return ((StatusRuntimeException) e.getCause()).getStatus().getCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }
}
