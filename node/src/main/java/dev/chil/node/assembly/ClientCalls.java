package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.runtime.SlotProofs;
import dev.chil.proto.v1.InclusionProof;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Proposals and reads, answered where the leader is ({@link RoutedCall}) within the caller's
 * deadline, or {@code protocol.timeout} when the caller gave none. Serves both the client API and
 * the calls other nodes forward here; a forwarded call is never forwarded again.
 */
final class ClientCalls {
  private final Driver driver;
  private final Forwarder forwarder;
  private final LeaderWatch watch;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  /** Present in pbft: what gathers the replicas' signed word that answers carry. */
  private final Optional<PbftVouching> vouching;

  ClientCalls(Driver driver, Forwarder forwarder, LeaderWatch watch, ScheduledExecutorService scheduler,
      Duration timeout, Optional<PbftVouching> vouching) {
    this.driver = driver;
    this.vouching = vouching;
    this.forwarder = forwarder;
    this.watch = watch;
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  /** @param forwarding false for a call another node forwarded here */
  CompletableFuture<ProposeResponse> propose(Command command, boolean forwarding) {
    return RoutedCall.start("the proposal " + command.requestId(), new RoutedCall.Route<>() {
      @Override
      public CompletableFuture<ProposeResponse> here() {
        return cancellable(driver.propose(command), ClientCalls::toResponse);
      }

      @Override
      public CompletableFuture<ProposeResponse> forward(String leader, Deadline deadline) {
        return forwarder.forward(leader, command, deadline);
      }
    }, forwarding, watch, scheduler, deadline());
  }

  /**
   * A request its client signed, for a core that takes only those (pbft): submitted here, never
   * forwarded (the core forwards it to its primary itself, signature and all), and answered when
   * this node has executed it and f+1 replicas vouched for its result, within the call's deadline.
   */
  CompletableFuture<ProposeResponse> proposeSigned(ClientRequest request) {
    Deadline deadline = deadline();
    long remainingNanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    CompletableFuture<ProposalResult> pending = driver.propose(request);
    PbftVouching replicas = vouching.orElseThrow(() -> new IllegalStateException("signed requests are for pbft"));
    CompletableFuture<ProposeResponse> answer = pending
        .thenCompose(result -> replicas.vouched(result, toResponse(result), deadline))
        .orTimeout(Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
    // Timed out or cancelled: the driver forgets the waiter (the request may still be executed).
    answer.whenComplete((response, error) -> {
      if (error != null) {
        pending.cancel(false);
      }
    });
    return answer;
  }

  /** @param forwarding false for a call another node forwarded here */
  CompletableFuture<ReadResponse> read(String key, boolean forwarding) {
    return RoutedCall.start("the read of " + key, new RoutedCall.Route<>() {
      @Override
      public CompletableFuture<ReadResponse> here() {
        return readHere(key);
      }

      @Override
      public CompletableFuture<ReadResponse> forward(String leader, Deadline deadline) {
        return forwarder.forwardRead(leader, key, deadline);
      }
    }, forwarding, watch, scheduler, deadline());
  }

  /** (pbft) A read that 2f+1 replicas answer alike, each from its own state, within the call's deadline. */
  CompletableFuture<ReadResponse> readSigned(String key) {
    return vouching.orElseThrow(() -> new IllegalStateException("signed reads are for pbft")).read(key, deadline());
  }

  /** The calling gRPC request's deadline, or {@code protocol.timeout} from now. */
  private Deadline deadline() {
    Deadline given = Context.current().getDeadline();
    return given != null ? given : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A linearizable read on this node's driver, which succeeds only where the leader is. */
  private CompletableFuture<ReadResponse> readHere(String key) {
    return cancellable(driver.read(key), entry -> entry
        .map(found -> ReadResponse.newBuilder().setFound(true).setValue(found.value()).setSlot(found.slot()).build())
        .orElse(ReadResponse.newBuilder().setFound(false).build()));
  }

  /** {@code source.thenApply(mapping)}, where cancelling the result cancels {@code source} too (and the driver forgets it). */
  private static <S, T> CompletableFuture<T> cancellable(CompletableFuture<S> source, Function<S, T> mapping) {
    CompletableFuture<T> mapped = source.thenApply(mapping);
    mapped.whenComplete((value, error) -> {
      if (mapped.isCancelled()) {
        source.cancel(false);
      }
    });
    return mapped;
  }

  static ProposeResponse toResponse(ProposalResult result) {
    return ProposeResponse.newBuilder()
        .setSuccess(result.success())
        .setValue(result.value() == null ? ByteString.EMPTY : result.value())
        .setSlot(result.slot())
        .setAuditIndex(result.auditIndex())
        .setCertificate(CommonCodec.toProto(result.certificate()))
        .setInclusion(toProto(result.proofs().commandPath(result.position())))
        .build();
  }

  static InclusionProof toProto(SlotProofs.Path path) {
    return InclusionProof.newBuilder().setIndex(path.index()).setCount(path.count()).addAllPath(path.hashes()).build();
  }
}
