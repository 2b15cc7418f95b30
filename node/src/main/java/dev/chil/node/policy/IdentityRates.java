package dev.chil.node.policy;

import java.util.Objects;

/** Rates for the clients {@code identity} matches, in place of the per-client default. */
public record IdentityRates(IdentityPattern identity, ClientRates rates) {
  public IdentityRates {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(rates, "rates");
  }
}
