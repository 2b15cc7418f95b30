package dev.chil.node.policy;

import java.util.Objects;

/** How many messages and bytes one authenticated peer may send this node. */
public record PeerRates(Rate messages, Rate bytes) {
  public PeerRates {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(bytes, "bytes");
  }
}
