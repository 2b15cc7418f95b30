package dev.chil.node.policy;

import java.util.List;
import java.util.Objects;

/**
 * The rate limits, all counted on each node separately: a client calling three nodes may reach
 * each node's limit.
 *
 * @param client each client identity's rates, unless an override matches it
 * @param overrides rates for particular identities; the first that matches wins
 * @param allClients all clients of this node together
 * @param peer each authenticated peer's messages and bytes
 */
public record Limits(ClientRates client, List<IdentityRates> overrides, ClientRates allClients, PeerRates peer) {
  public Limits {
    Objects.requireNonNull(client, "client");
    overrides = List.copyOf(overrides);
    Objects.requireNonNull(allClients, "allClients");
    Objects.requireNonNull(peer, "peer");
  }

  /** The rates that apply to {@code spiffeId}: the first matching override's, or the default. */
  public ClientRates ratesOf(String spiffeId) {
    for (IdentityRates override : overrides) {
      if (override.identity().matches(spiffeId)) {
        return override.rates();
      }
    }
    return client;
  }
}
