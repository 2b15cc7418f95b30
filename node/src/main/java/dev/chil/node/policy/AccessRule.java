package dev.chil.node.policy;

import java.util.List;
import java.util.Objects;

/**
 * A named access rule: the identities it is about, and the key prefixes they may propose and
 * read. Prefixes are literal: {@code orders/} covers {@code orders/17}; {@code ""} covers every
 * key; an empty list, none.
 */
public record AccessRule(String name, List<IdentityPattern> identities, List<String> propose, List<String> read) {
  public AccessRule {
    Objects.requireNonNull(name, "name");
    identities = List.copyOf(identities);
    propose = List.copyOf(propose);
    read = List.copyOf(read);
  }

  public boolean appliesTo(String spiffeId) {
    return identities.stream().anyMatch(pattern -> pattern.matches(spiffeId));
  }

  public boolean allows(Operation operation, String key) {
    return (operation == Operation.PROPOSE ? propose : read).stream().anyMatch(key::startsWith);
  }
}
