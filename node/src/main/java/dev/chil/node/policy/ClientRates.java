package dev.chil.node.policy;

import java.util.Objects;

/** How fast one client (or all clients together) may propose and read. Status calls count as reads. */
public record ClientRates(Rate proposals, Rate reads) {
  public ClientRates {
    Objects.requireNonNull(proposals, "proposals");
    Objects.requireNonNull(reads, "reads");
  }

  public Rate of(Operation operation) {
    return operation == Operation.PROPOSE ? proposals : reads;
  }
}
