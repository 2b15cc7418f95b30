package dev.chil.node.runtime;

import dev.chil.node.core.common.PeerMessage;
import java.util.List;

/** Where a core's messages go: encoded, signed once, and queued for each peer. Must not block. */
public interface Outbox {
  /** Sends one message to these peers; a broadcast is signed once, not once per peer. */
  void send(List<String> peers, PeerMessage message);
}
