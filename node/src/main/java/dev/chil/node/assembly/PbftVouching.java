package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Quorum;
import dev.chil.audit.chain.ReadStatement;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.runtime.SlotProofs;
import dev.chil.node.statemachine.StateMachine;
import dev.chil.node.transport.PeerService;
import dev.chil.node.transport.PeerTransport;
import dev.chil.proto.v1.PeerServiceGrpc;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.ResultProof;
import dev.chil.proto.v1.ResultVoteReply;
import dev.chil.proto.v1.ResultVoteRequest;
import dev.chil.proto.v1.Vote;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In pbft, no answer rests on one node's word: the node a client called gathers the signed word
 * of enough replicas. A proposal's answer carries the votes of f+1 replicas on the slot's results
 * (one at least is correct, and correct replicas compute the same results); a read's, the
 * matching signed answers of 2f+1 replicas from their own state. This class is both ends: it
 * gathers from peers, and answers peers that gather ({@link PeerService.Vouching}). Each vote a
 * peer sends is checked here against the roster before it counts, so a lying peer costs only its
 * own vote; the client checks them all again.
 */
final class PbftVouching implements PeerService.Vouching {
  private static final Logger LOG = LoggerFactory.getLogger(PbftVouching.class);
  /** Pause before asking again when replicas answered a read differently (a write was landing). */
  private static final long READ_RETRY_MILLIS = 20;

  private final String cluster;
  private final List<String> peers;
  private final int resultVotes;
  private final int readVotes;
  private final ResultWitness witness;
  private final Signer signer;
  private final Verifier verifier;
  private final Driver driver;
  private final PeerTransport transport;

  PbftVouching(String cluster, List<String> peers, ResultWitness witness, Signer signer, Verifier verifier, Driver driver,
      PeerTransport transport) {
    this.cluster = cluster;
    this.peers = List.copyOf(peers);
    int n = peers.size() + 1;
    int f = (n - 1) / 3;
    this.resultVotes = f + 1;
    this.readVotes = Quorum.pbftQuorum(n);
    this.witness = witness;
    this.signer = signer;
    this.verifier = verifier;
    this.driver = driver;
    this.transport = transport;
  }

  // ---- the end that answers peers

  @Override
  public CompletableFuture<ResultVoteReply> resultVote(long slot) {
    return witness.vote(slot);
  }

  @Override
  public CompletableFuture<ReadResponse> signedRead(String key) {
    return driver.inspect(view -> view.stateMachine().read(key)).thenApply(entry -> signed(key, entry));
  }

  private ReadResponse signed(String key, Optional<StateMachine.Entry> entry) {
    ByteString value = entry.map(StateMachine.Entry::value).orElse(ByteString.EMPTY);
    long slot = entry.map(StateMachine.Entry::slot).orElse(0L);
    ReadStatement statement = ReadStatement.of(key, entry.isPresent(), value, slot);
    byte[] signature = signer.sign(ReadStatement.MESSAGE_TYPE, statement.payload());
    return ReadResponse.newBuilder().setFound(entry.isPresent()).setValue(value).setSlot(statement.slot())
        .addVotes(Vote.newBuilder().setSigner(signer.identity().name()).setSignature(ByteString.copyFrom(signature)))
        .build();
  }

  // ---- the end that gathers

  /**
   * The answer to a proposal this node executed, with the result votes of f+1 replicas (this
   * node's first). Fails DEADLINE_EXCEEDED at {@code deadline}, or UNAVAILABLE once every peer
   * answered and too few agreed.
   */
  CompletableFuture<ProposeResponse> vouched(ProposalResult result, ProposeResponse answer, Deadline deadline) {
    long slot = result.slot();
    ResultStatement own = result.proofs().resultStatement();
    Gathering<ResultVoteReply, ProposeResponse> gathering = new Gathering<>(peers.size() + 1, deadline,
        "result votes on slot " + slot, resultVotes);
    CompletableFuture<ProposeResponse> vouched = gathering.outcome;
    witness.vote(slot).whenComplete((mine, error) -> {
      if (error != null) {
        vouched.completeExceptionally(Status.INTERNAL.withDescription("this node cannot vouch for slot " + slot
            + " it executed: " + error.getMessage()).asRuntimeException());
        return;
      }
      List<Vote> votes = new ArrayList<>(List.of(mine.getVote()));
      gathering.answered(true);
      if (votes.size() >= resultVotes) {
        vouched.complete(withVotes(answer, result, votes));
        return;
      }
      ResultVoteRequest request = ResultVoteRequest.newBuilder().setSlot(slot).build();
      for (String peer : peers) {
        gathering.ask(peer, (stub, observer) -> stub.resultVote(request, observer), reply -> {
          if (!reply.getSlotDigest().equals(own.slotDigest()) || !reply.getResultsRoot().equals(own.resultsRoot())) {
            LOG.warn("{} vouches for other results of slot {} than this node computed", peer, slot);
            return false;
          }
          if (!verifies(peer, reply.getVote(), ResultStatement.MESSAGE_TYPE, own.payload())) {
            return false;
          }
          synchronized (votes) {
            votes.add(reply.getVote());
            if (votes.size() >= resultVotes) {
              vouched.complete(withVotes(answer, result, List.copyOf(votes)));
            }
          }
          return true;
        });
      }
    });
    return vouched;
  }

  private static ProposeResponse withVotes(ProposeResponse answer, ProposalResult result, List<Vote> votes) {
    SlotProofs.Path path = result.proofs().resultPath(result.position());
    return answer.toBuilder().setResult(ResultProof.newBuilder()
        .setResultsRoot(result.proofs().resultStatement().resultsRoot())
        .addAllPath(path.hashes())
        .addAllVotes(votes)).build();
  }

  /**
   * A read answered by 2f+1 replicas that signed the same answer from their own state. Replicas
   * that are mid-way through a write may differ: then everyone is asked again, until the deadline.
   */
  CompletableFuture<ReadResponse> read(String key, Deadline deadline) {
    CompletableFuture<ReadResponse> answer = new CompletableFuture<>();
    readRound(key, deadline, answer);
    return answer;
  }

  private void readRound(String key, Deadline deadline, CompletableFuture<ReadResponse> answer) {
    Gathering<ReadResponse, ReadResponse> gathering = new Gathering<>(peers.size() + 1, deadline,
        "matching signed reads of " + key, readVotes);
    Map<ReadStatement, List<Vote>> byAnswer = new HashMap<>();
    BiConsumer<String, ReadResponse> tally = (replica, reply) -> {
      ReadStatement statement = ReadStatement.of(key, reply.getFound(), reply.getValue(), reply.getSlot());
      synchronized (byAnswer) {
        List<Vote> votes = byAnswer.computeIfAbsent(statement, s -> new ArrayList<>());
        votes.add(reply.getVotes(0));
        if (votes.size() >= readVotes) {
          gathering.outcome.complete(reply.toBuilder().clearVotes().addAllVotes(votes).build());
        }
      }
    };
    signedRead(key).whenComplete((mine, error) -> {
      if (error != null) {
        gathering.outcome.completeExceptionally(error);
      } else {
        tally.accept(signer.identity().name(), mine);
        gathering.answered(true);
      }
    });
    ReadRequest request = ReadRequest.newBuilder().setKey(key).build();
    for (String peer : peers) {
      gathering.ask(peer, (stub, observer) -> stub.signedRead(request, observer), reply -> {
        if (reply.getVotesCount() != 1) {
          return false;
        }
        ReadStatement statement = ReadStatement.of(key, reply.getFound(), reply.getValue(), reply.getSlot());
        if (!verifies(peer, reply.getVotes(0), ReadStatement.MESSAGE_TYPE, statement.payload())) {
          return false;
        }
        tally.accept(peer, reply);
        return true;
      });
    }
    gathering.outcome.whenComplete((read, error) -> {
      if (error == null) {
        answer.complete(read);
      } else if (Status.fromThrowable(error).getCode() == Status.Code.UNAVAILABLE
          && deadline.timeRemaining(TimeUnit.MILLISECONDS) > READ_RETRY_MILLIS && !answer.isDone()) {
        CompletableFuture.delayedExecutor(READ_RETRY_MILLIS, TimeUnit.MILLISECONDS)
            .execute(() -> readRound(key, deadline, answer));
      } else {
        answer.completeExceptionally(error);
      }
    });
    answer.whenComplete((read, error) -> gathering.outcome.cancel(false));
  }

  /** Whether a peer's vote is by that peer, and its signature covers {@code payload}. */
  private boolean verifies(String peer, Vote vote, String messageType, byte[] payload) {
    if (!vote.getSigner().equals(peer)) {
      LOG.warn("{} sent a {} vote signed as {}", peer, messageType, vote.getSigner());
      return false;
    }
    try {
      verifier.verify(Identity.node(cluster, peer), messageType, payload, vote.getSignature().toByteArray());
      return true;
    } catch (SignatureVerificationException | IllegalArgumentException e) {
      LOG.warn("{} sent a {} vote whose signature does not verify", peer, messageType);
      return false;
    }
  }

  /** Calls to every peer for one answer: ends when it is complete, at the deadline, or when all replied in vain. */
  private final class Gathering<R, T> {
    final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final Context.CancellableContext context = Context.ROOT.withCancellation();
    private final int expected;
    private final Deadline deadline;
    private final String what;
    private final int needed;
    private int replied; // guarded by this
    private int counted; // guarded by this

    Gathering(int expected, Deadline deadline, String what, int needed) {
      this.expected = expected;
      this.deadline = deadline;
      this.what = what;
      this.needed = needed;
      long nanos = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
      outcome.orTimeout(nanos, TimeUnit.NANOSECONDS).whenComplete((value, error) -> context.cancel(null));
    }

    interface Call<R> {
      void start(PeerServiceGrpc.PeerServiceStub stub, StreamObserver<R> observer);
    }

    interface Check<R> {
      /** Whether the reply counted towards the answer. */
      boolean counted(R reply);
    }

    void ask(String peer, Call<R> call, Check<R> check) {
      StreamObserver<R> observer = new StreamObserver<>() {
        @Override
        public void onNext(R reply) {
          answered(!outcome.isDone() && check.counted(reply));
        }

        @Override
        public void onError(Throwable error) {
          answered(false);
        }

        @Override
        public void onCompleted() {}
      };
      try {
        context.run(() -> call.start(PeerServiceGrpc.newStub(transport.channel(peer)).withDeadline(deadline), observer));
      } catch (RuntimeException e) {
        answered(false);
      }
    }

    /** One of the expected replies came (counted or not); once all came without an answer, it fails. */
    synchronized void answered(boolean counts) {
      replied++;
      if (counts) {
        counted++;
      }
      if (replied == expected && !outcome.isDone()) {
        outcome.completeExceptionally(Status.UNAVAILABLE.withDescription(what + ": " + counted + " of " + expected
            + " replicas answered validly, and fewer than the " + needed + " needed agree; retry").asRuntimeException());
      }
    }
  }
}
