package dev.chil.crypto.archteeth;

import dev.chil.audit.chain.Command;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: a crypto class that knows the audit log's records. */
public final class CryptoKnowsAudit {
  public String key(Command command) {
    return command.key();
  }
}
