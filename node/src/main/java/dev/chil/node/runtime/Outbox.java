package dev.chil.node.runtime;

import dev.chil.node.core.common.PeerMessage;

/** Where a core's messages go: encoded, signed and queued for one peer. Must not block. */
public interface Outbox {
  void send(String peer, PeerMessage message);
}
