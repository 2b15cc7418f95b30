package dev.chil.node.policy;

import java.util.List;
import java.util.Optional;

/**
 * Which client may propose and read which keys. The first rule whose identities match the caller
 * decides, alone; a caller no rule matches gets the default. Fails closed: a rule that matches
 * and does not list the key's prefix denies, whatever the default.
 *
 * @param allowByDefault what a caller that no rule matches may do: every key (true), or nothing
 */
public record AccessControl(boolean allowByDefault, List<AccessRule> rules) {
  public AccessControl {
    rules = List.copyOf(rules);
  }

  /** Every client may propose and read every key. */
  public static AccessControl allowAll() {
    return new AccessControl(true, List.of());
  }

  /** Why {@code spiffeId} may not do {@code operation} on {@code key}, naming the rule; empty if it may. */
  public Optional<String> denial(String spiffeId, Operation operation, String key) {
    for (AccessRule rule : rules) {
      if (rule.appliesTo(spiffeId)) {
        if (rule.allows(operation, key)) {
          return Optional.empty();
        }
        List<String> prefixes = operation == Operation.PROPOSE ? rule.propose() : rule.read();
        return Optional.of("access rule '" + rule.name() + "' lets " + spiffeId + " " + operation.key()
            + (prefixes.isEmpty() ? " no keys" : " only keys starting with " + quoted(prefixes)));
      }
    }
    return allowByDefault ? Optional.empty() : Optional.of("no access rule matches " + spiffeId
        + ", and access.default is deny");
  }

  private static String quoted(List<String> prefixes) {
    return prefixes.stream().map(prefix -> "'" + prefix + "'").toList().toString();
  }
}
