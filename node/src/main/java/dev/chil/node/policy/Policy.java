package dev.chil.node.policy;

import java.util.Objects;

/**
 * A node's validated policy: rate limits, access control, request sizes and the certificate deny
 * list. Built only by {@link PolicyLoader}, so every instance has passed validation.
 *
 * @param source where it was read from: a file, or the bundled default
 */
public record Policy(String source, Limits limits, AccessControl access, Sizes sizes, DenyList deny) {
  public Policy {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(deny, "deny");
  }
}
