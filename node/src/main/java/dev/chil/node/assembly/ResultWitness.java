package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.crypto.Signer;
import dev.chil.node.runtime.ResultSink;
import dev.chil.node.runtime.SlotProofs;
import dev.chil.proto.v1.ResultVoteReply;
import dev.chil.proto.v1.Vote;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A pbft replica's memory of the slots it executed lately, from which it vouches for their
 * results: its signature over each slot's {@link ResultStatement}, made once per slot, when first
 * asked, on the asker's thread (never the driver's). A vote for a slot not yet executed waits
 * for it; the caller bounds the wait. The driver fills it ({@link ResultSink}); gRPC threads ask.
 */
final class ResultWitness implements ResultSink {
  /** How many executed slots are remembered: a vote is asked for within moments of execution. */
  static final int SLOTS_REMEMBERED = 4096;

  private final Signer signer;
  private final Map<Long, Executed> recent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Executed> eldest) {
      return size() > SLOTS_REMEMBERED;
    }
  };
  private final Map<Long, List<CompletableFuture<Executed>>> waiting = new HashMap<>();
  private long executedAbove = -1; // the highest slot executed since this node started

  /** One executed slot, and this replica's vote on it once made. */
  private final class Executed {
    final SlotProofs proofs;
    private ResultVoteReply vote; // guarded by this

    Executed(SlotProofs proofs) {
      this.proofs = proofs;
    }

    synchronized ResultVoteReply vote() {
      if (vote == null) {
        ResultStatement statement = proofs.resultStatement();
        byte[] signature = signer.sign(ResultStatement.MESSAGE_TYPE, statement.payload());
        vote = ResultVoteReply.newBuilder()
            .setSlotDigest(statement.slotDigest())
            .setResultsRoot(statement.resultsRoot())
            .setVote(Vote.newBuilder().setSigner(signer.identity().name()).setSignature(ByteString.copyFrom(signature)))
            .build();
      }
      return vote;
    }
  }

  ResultWitness(Signer signer) {
    this.signer = signer;
  }

  @Override
  public void executed(SlotProofs proofs) {
    Executed executed = new Executed(proofs);
    List<CompletableFuture<Executed>> waiters;
    synchronized (this) {
      recent.put(proofs.slot(), executed);
      executedAbove = Math.max(executedAbove, proofs.slot());
      waiters = waiting.remove(proofs.slot());
    }
    if (waiters != null) {
      waiters.forEach(waiter -> waiter.complete(executed));
    }
  }

  /**
   * This replica's vote on the results of {@code slot}: at once if it executed the slot lately,
   * when it does if it has not yet. Fails NOT_FOUND for a slot executed too long ago to remember
   * (or before this node started). Cancelling the future forgets the wait.
   */
  CompletableFuture<ResultVoteReply> vote(long slot) {
    CompletableFuture<Executed> executed = new CompletableFuture<>();
    synchronized (this) {
      Executed known = recent.get(slot);
      if (known != null) {
        executed.complete(known);
      } else if (slot <= executedAbove) {
        return CompletableFuture.failedFuture(Status.NOT_FOUND.withDescription("slot " + slot
            + " was executed too long ago (or before this node started) for its results to be remembered")
            .asRuntimeException());
      } else {
        waiting.computeIfAbsent(slot, s -> new ArrayList<>()).add(executed);
      }
    }
    CompletableFuture<ResultVoteReply> vote = executed.thenApply(Executed::vote);
    vote.whenComplete((reply, error) -> {
      if (error != null) {
        forget(slot, executed);
      }
    });
    return vote;
  }

  private synchronized void forget(long slot, CompletableFuture<Executed> waiter) {
    List<CompletableFuture<Executed>> waiters = waiting.get(slot);
    if (waiters != null) {
      waiters.remove(waiter);
      if (waiters.isEmpty()) {
        waiting.remove(slot);
      }
    }
  }
}
