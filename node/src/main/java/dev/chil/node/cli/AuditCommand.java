package dev.chil.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chil audit}: offline tools for audit logs (see audit/FORMAT.md). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Verify, compare and export audit logs, and list the evidence kept beside them.",
        "Each opens the databases read-only.",
        "Exit codes: 0 valid (no fork), 1 invalid (a fork), 2 an input cannot be read."},
    subcommands = {AuditVerifyCommand.class, AuditCompareCommand.class, AuditExportCommand.class,
        AuditEvidenceCommand.class})
final class AuditCommand implements Runnable {
  /** An input that is not a readable audit log (or CA file): distinct from "read it, and it is bad". */
  static final int EXIT_UNREADABLE = dev.chil.audit.verify.VerificationResult.EXIT_UNREADABLE;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
