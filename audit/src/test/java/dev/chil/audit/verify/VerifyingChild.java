package dev.chil.audit.verify;

import dev.chil.crypto.PemFiles;
import java.nio.file.Path;

/**
 * The child process of {@link BoundedMemoryTest}: verifies a log in whatever heap the parent
 * gave it, prints the result and exits with its code.
 *
 * <p>Arguments: the log, the CA certificate file.
 */
public final class VerifyingChild {
  private VerifyingChild() {}

  public static void main(String[] args) throws Exception {
    VerificationResult result = AuditVerifier.verify(Path.of(args[0]),
        PemFiles.readCertificates(Path.of(args[1])).get(0), AuditVerifier.Options.full());
    System.out.println(result.message());
    System.exit(result.exitCode());
  }
}
