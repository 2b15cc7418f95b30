package dev.chil.audit.store;

import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import java.util.List;
import java.util.Objects;

/**
 * A decided slot as the audit log keeps it: its commands in order (none for a no-op) and the
 * quorum certificate that proves them. What a node sends a peer catching up from beyond what it
 * holds in memory; the peer checks the certificate, so the log vouches for nothing.
 */
public record CertifiedSlot(List<Command> commands, QuorumCertificate certificate) {
  public CertifiedSlot {
    commands = List.copyOf(commands);
    Objects.requireNonNull(certificate, "certificate");
  }

  public long slot() {
    return certificate.statement().slot();
  }
}
