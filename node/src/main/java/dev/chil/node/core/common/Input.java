package dev.chil.node.core.common;

import dev.chil.audit.chain.Command;
import java.util.Objects;

/** Everything that can happen to a replica. Time is a tick; nothing else moves it. */
public sealed interface Input {

  /** One unit of logical time passed. The driver decides how long a tick is. */
  record Tick() implements Input {}

  /** A message from {@code from}, a roster node the transport has authenticated. */
  record Receive(String from, PeerMessage message) implements Input {
    public Receive {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(message, "message");
    }
  }

  /** A client command; its client field comes from the client's certificate, not its request. */
  record Submit(Command command) implements Input {
    public Submit {
      Objects.requireNonNull(command, "command");
    }
  }

  /**
   * A command its client signed (see {@link ClientRequest}): what a PBFT replica takes, since it
   * must be able to show every other replica that no node made the command up.
   */
  record SubmitRequest(ClientRequest request) implements Input {
    public SubmitRequest {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A reader wants to read the state machine linearizably: answered with a {@link ReadReply} of
   * the same {@code id} once it is safe to, on this replica, or with a redirect.
   */
  record ReadBarrier(long id) implements Input {}

  /** The failure detector suspects {@code peer} has crashed or is cut off. */
  record Suspect(String peer) implements Input {
    public Suspect {
      Objects.requireNonNull(peer, "peer");
    }
  }
}
