package dev.chil.audit.store;

import java.nio.file.Path;

/**
 * An audit database that cannot be opened, read or written: missing, not SQLite, another schema
 * version, a failing disk. The message names the file and the problem in one line. For the
 * verifier this is "cannot read" (exit 2), never "invalid".
 */
public final class AuditStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuditStoreException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public AuditStoreException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
