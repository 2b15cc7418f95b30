package dev.chil.node.core.common;

import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import java.util.List;
import java.util.Objects;

/**
 * A decided slot, delivered in slot order. {@code commands} is exactly what the certificate
 * covers (empty for a no-op) and goes to the audit log; {@code toApply} is the subsequence the
 * state machine applies: commands whose (client, request id) was not applied before. A command
 * retried after a leader change can be decided twice; it is applied once.
 */
public record Decision(long slot, List<Command> commands, QuorumCertificate certificate, List<Command> toApply) {
  public Decision {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must not be negative: " + slot);
    }
    commands = List.copyOf(commands);
    Objects.requireNonNull(certificate, "certificate");
    toApply = List.copyOf(toApply);
    if (certificate.statement().slot() != slot) {
      throw new IllegalArgumentException("certificate is for slot " + certificate.statement().slot()
          + ", not " + slot);
    }
  }
}
