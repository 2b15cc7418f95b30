package dev.chil.node.cli;

import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.verify.AuditExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chil audit export}: a log as JSON lines. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Write an audit log as JSON lines.",
        "On stdout: a genesis line, then slot, entry and signed_head lines in index order",
        "(fields in audit/FORMAT.md). Does not verify.",
        "Exit codes: 0 written, 2 the log cannot be read."})
final class AuditExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "FILE", description = "The audit database (audit.db).")
  Path db;

  @Option(names = "--from", paramLabel = "N", description = "First entry index (default: ${DEFAULT-VALUE}).")
  long from = 1;

  @Option(names = "--to", paramLabel = "M", description = "Last entry index, inclusive (default: the end).")
  Long to;

  @Override
  public Integer call() throws Exception {
    long last = to == null ? Long.MAX_VALUE : to;
    if (from < 1 || last < from) {
      throw new ParameterException(spec.commandLine(),
          "--from must be at least 1 and --to at least --from (got " + from + ".." + (to == null ? "end" : to) + ")");
    }
    try {
      AuditExport.export(db, from, last, spec.commandLine().getOut());
    } catch (AuditStoreException e) {
      spec.commandLine().getErr().println("chil: CANNOT READ: " + e.getMessage());
      return AuditCommand.EXIT_UNREADABLE;
    }
    return 0;
  }
}
