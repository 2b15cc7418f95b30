package dev.chil.node.core.common;

import java.util.Objects;

/** A message a core wants sent to one roster node. */
public record Envelope(String to, PeerMessage message) {
  public Envelope {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(message, "message");
  }
}
