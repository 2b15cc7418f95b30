package dev.chil.node.core.pbft;

import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * The client requests this replica knows of and has not seen executed: whether a client waits on
 * it here, and, at the primary, whether it is in a batch of this view yet. A request waiting too
 * long is why a backup suspects its primary. Bounded by {@code pendingMax}.
 */
final class Requests {
  enum Admission { ADDED, KNOWN, FULL }

  private static final class Pending {
    final ClientRequest request;
    final long arrivedTick;
    boolean clientWaiting;

    Pending(ClientRequest request, long arrivedTick) {
      this.request = request;
      this.arrivedTick = arrivedTick;
    }
  }

  private final int pendingMax;
  // By (client, request id), in arrival order.
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  // Keys the primary put in a PrePrepare of the current view.
  private final TreeSet<String> proposed = new TreeSet<>();

  Requests(int pendingMax) {
    this.pendingMax = pendingMax;
  }

  Admission add(ClientRequest request, long now, boolean clientWaiting) {
    String key = key(request.command());
    Pending known = pending.get(key);
    if (known != null) {
      known.clientWaiting |= clientWaiting;
      return Admission.KNOWN;
    }
    if (pending.size() >= pendingMax) {
      return Admission.FULL;
    }
    Pending added = new Pending(request, now);
    added.clientWaiting = clientWaiting;
    pending.put(key, added);
    return Admission.ADDED;
  }

  /** The next batch for the primary if one is full or has waited {@code delayTicks}; else empty. */
  List<ClientRequest> nextBatch(long now, int commandsMax, int delayTicks) {
    List<ClientRequest> batch = new ArrayList<>();
    long oldest = Long.MAX_VALUE;
    for (java.util.Map.Entry<String, Pending> entry : pending.entrySet()) {
      if (!proposed.contains(entry.getKey())) {
        if (batch.size() == commandsMax) {
          break;
        }
        batch.add(entry.getValue().request);
        oldest = Math.min(oldest, entry.getValue().arrivedTick);
      }
    }
    if (batch.isEmpty() || (batch.size() < commandsMax && now - oldest < delayTicks)) {
      return List.of();
    }
    return batch;
  }

  void proposed(List<ClientRequest> batch) {
    for (ClientRequest request : batch) {
      proposed.add(key(request.command()));
    }
  }

  /** The request executed: forgotten; true when a client waits for the answer here. */
  boolean executed(Command command) {
    String key = key(command);
    proposed.remove(key);
    Pending known = pending.remove(key);
    return known != null && known.clientWaiting;
  }

  /** A new view: nothing is proposed in it yet. */
  void newView() {
    proposed.clear();
  }

  List<ClientRequest> all() {
    List<ClientRequest> requests = new ArrayList<>(pending.size());
    for (Pending known : pending.values()) {
      requests.add(known.request);
    }
    return requests;
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  int size() {
    return pending.size();
  }

  static String key(Command command) {
    return command.client() + '\0' + command.requestId();
  }
}
