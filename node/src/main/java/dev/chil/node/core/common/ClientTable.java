package dev.chil.node.core.common;

import dev.chil.audit.chain.Command;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which (client, request id) pairs were applied, and in which slot, so that a command decided
 * twice (retried after a leader change) is applied once. A pure function of the decided log, so
 * every replica holds the same table; rebuilt after a restart by replaying delivered decisions.
 *
 * <p>Bounded: at most {@code clientsMax} clients (the least recently active is forgotten first)
 * and {@code requestsPerClientMax} request ids per client (oldest first). A retry older than what
 * the table remembers would be applied again: clients must not retry older requests than that.
 */
public final class ClientTable {
  private final int clientsMax;
  private final int requestsPerClientMax;
  // Insertion order, re-inserted on every application: the client that applied last is evicted
  // last. Deterministic, never hash order.
  private final LinkedHashMap<String, LinkedHashMap<String, Long>> clients = new LinkedHashMap<>();

  public ClientTable(int clientsMax, int requestsPerClientMax) {
    if (clientsMax < 1 || requestsPerClientMax < 1) {
      throw new IllegalArgumentException("client table bounds must be at least 1");
    }
    this.clientsMax = clientsMax;
    this.requestsPerClientMax = requestsPerClientMax;
  }

  /** The slot where this request was applied, or -1. Does not count as activity. */
  public long appliedSlot(Command command) {
    Map<String, Long> requests = clients.get(command.client());
    if (requests == null) {
      return -1;
    }
    return requests.getOrDefault(command.requestId(), -1L);
  }

  /** Records an application; false when the request was applied before (do not apply again). */
  public boolean apply(Command command, long slot) {
    LinkedHashMap<String, Long> requests = clients.remove(command.client());
    if (requests == null) {
      requests = new LinkedHashMap<>();
    }
    clients.put(command.client(), requests);
    if (clients.size() > clientsMax) {
      Iterator<String> eldest = clients.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    if (requests.containsKey(command.requestId())) {
      return false;
    }
    requests.put(command.requestId(), slot);
    if (requests.size() > requestsPerClientMax) {
      Iterator<String> eldest = requests.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return true;
  }

  public int clients() {
    return clients.size();
  }
}
