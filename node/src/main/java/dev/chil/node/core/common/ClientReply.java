package dev.chil.node.core.common;

import dev.chil.audit.chain.Command;
import java.util.Objects;

/** The answer to a {@link Input.Submit}, for the driver to hand to the waiting client. */
public sealed interface ClientReply {
  Command command();

  /** The command is applied; {@code slot} is where it was applied first. */
  record Committed(Command command, long slot) implements ClientReply {
    public Committed {
      Objects.requireNonNull(command, "command");
    }
  }

  /** This replica does not lead; {@code leaderHint} is who might, or null when unknown. */
  record Redirect(Command command, String leaderHint) implements ClientReply {
    public Redirect {
      Objects.requireNonNull(command, "command");
    }
  }

  /** Refused for good reason (too large, queue full); the client may retry later. */
  record Rejected(Command command, String reason) implements ClientReply {
    public Rejected {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
