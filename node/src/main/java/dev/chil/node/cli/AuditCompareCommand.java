package dev.chil.node.cli;

import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.verify.AuditComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chil audit compare}: where several nodes' logs diverge. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
        "Find where several nodes' audit logs diverge.",
        "Prints each node's head, the longest common prefix, and the first index where any two",
        "disagree. A node that is only behind is not a fork.",
        "Does not verify the logs; run 'chil audit verify' on each for that.",
        "Exit codes: 0 no fork, 1 a fork, 2 a log cannot be read."})
final class AuditCompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "2..*", paramLabel = "DB", description = "Two or more audit databases.")
  List<Path> databases;

  @Override
  public Integer call() {
    AuditComparison.Result result;
    try {
      result = AuditComparison.compare(databases);
    } catch (AuditStoreException e) {
      spec.commandLine().getErr().println("chil: CANNOT READ: " + e.getMessage());
      return AuditCommand.EXIT_UNREADABLE;
    }
    result.lines().forEach(spec.commandLine().getOut()::println);
    return result.exitCode();
  }
}
