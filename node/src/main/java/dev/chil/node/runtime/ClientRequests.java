package dev.chil.node.runtime;

import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The clients waiting on the driver, by (client, request id), and the results of recently applied
 * commands, so that a retry of a command that was already applied gets the original answer.
 * Both are bounded. Driver thread only.
 */
final class ClientRequests {
  private record Key(String client, String requestId) {
    static Key of(Command command) {
      return new Key(command.client(), command.requestId());
    }
  }

  private final int pendingMax;
  private final Map<Key, List<CompletableFuture<ProposalResult>>> pending = new HashMap<>();
  private final Map<Key, ProposalResult> results;

  ClientRequests(int pendingMax, int resultsRemembered) {
    this.pendingMax = pendingMax;
    this.results = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, ProposalResult> eldest) {
        return size() > resultsRemembered;
      }
    };
  }

  /**
   * Registers a waiting client. Returns true when the command should be submitted to the core;
   * false when the answer is already known, the same request is already in flight, or there is no
   * room (the future is then failed).
   */
  boolean add(Command command, CompletableFuture<ProposalResult> future) {
    Key key = Key.of(command);
    ProposalResult known = results.get(key);
    if (known != null) {
      future.complete(known);
      return false;
    }
    List<CompletableFuture<ProposalResult>> waiting = pending.get(key);
    if (waiting != null) {
      waiting.add(future);
      return false;
    }
    if (pending.size() >= pendingMax) {
      future.completeExceptionally(NodeUnavailableException.busy("too many proposals in flight; retry later"));
      return false;
    }
    pending.put(key, new ArrayList<>(List.of(future)));
    return true;
  }

  /** A command was applied (on any node): remember its result and answer whoever waits for it. */
  void applied(Command command, ProposalResult result) {
    Key key = Key.of(command);
    results.put(key, result);
    complete(key, result);
  }

  /** The core's answer to a submitted command. */
  void reply(ClientReply reply) {
    Key key = Key.of(reply.command());
    if (reply instanceof ClientReply.Committed committed) {
      // Normally answered by applied(); this covers a retry whose first application is remembered,
      // and says so plainly for one applied so long ago that its result is forgotten.
      ProposalResult result = results.get(key);
      if (result != null) {
        complete(key, result);
      } else {
        fail(key, new ResultForgottenException("request " + key.requestId() + " was applied in slot " + committed.slot()
            + "; its result is no longer remembered (read the key for its value)"));
      }
    } else if (reply instanceof ClientReply.Redirect redirect) {
      fail(key, NodeUnavailableException.notLeader(redirect.leaderHint()));
    } else if (reply instanceof ClientReply.Rejected rejected) {
      // The leader's queue is full. (The core also refuses a command larger than a batch, but the
      // client API refuses those before they get here, with the value limit that guarantees a fit.)
      fail(key, NodeUnavailableException.busy("refused: " + rejected.reason()));
    } else {
      throw new AssertionError("unknown reply " + reply);
    }
  }

  /** Drops the waiters that gave up (cancelled futures), and the requests nobody waits for any more. */
  void forgetAbandoned() {
    pending.values().forEach(futures -> futures.removeIf(CompletableFuture::isDone));
    pending.values().removeIf(List::isEmpty);
  }

  void failAll(RuntimeException cause) {
    pending.values().forEach(futures -> futures.forEach(future -> future.completeExceptionally(cause)));
    pending.clear();
  }

  int pendingCount() {
    return pending.size();
  }

  private void complete(Key key, ProposalResult result) {
    List<CompletableFuture<ProposalResult>> waiting = pending.remove(key);
    if (waiting != null) {
      waiting.forEach(future -> future.complete(result));
    }
  }

  private void fail(Key key, RuntimeException cause) {
    List<CompletableFuture<ProposalResult>> waiting = pending.remove(key);
    if (waiting != null) {
      waiting.forEach(future -> future.completeExceptionally(cause));
    }
  }
}
