package dev.chil.node.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code chil}: the command line of chil-consensus. Every command has {@code --help}; a failure
 * prints one line naming the problem and exits non-zero (the stack trace only with
 * {@code --verbose}).
 */
@Command(
    name = "chil",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A hardened consensus node: Multi-Paxos or PBFT over mutual TLS, with a hash-chained audit log.",
    subcommands = {NodeCommand.class, ProposeCommand.class, ReadCommand.class, StatusCommand.class, HealthCommand.class,
        AuditCommand.class, CertsCommand.class, RosterCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit status for a command that ran and failed (bad input, a refused operation). */
  static final int EXIT_FAILURE = 1;
  /** Exit status for a command line that could not be understood. */
  static final int EXIT_USAGE = 2;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Log at DEBUG and print stack traces of errors.")
  boolean verbose;

  @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "json|text",
      description = "Log lines as JSON (default) or as readable text.")
  LogSetup.Format logFormat = LogSetup.Format.JSON;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line; the exit status is returned, never passed to System.exit. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine commandLine = new CommandLine(main)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setExecutionStrategy(parseResult -> {
          LogSetup.apply(main.logFormat, main.verbose);
          return new CommandLine.RunLast().execute(parseResult);
        })
        .setParameterExceptionHandler((exception, arguments) -> {
          CommandLine failed = exception.getCommandLine();
          failed.getErr().println("chil: " + exception.getMessage());
          failed.getErr().println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
          return EXIT_USAGE;
        })
        .setExecutionExceptionHandler((exception, failed, parseResult) -> {
          failed.getErr().println("chil: error: " + oneLine(exception));
          if (main.verbose) {
            exception.printStackTrace(failed.getErr());
          }
          return EXIT_FAILURE;
        });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    // "chil" alone: show what there is to do.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static String oneLine(Throwable exception) {
    String message = exception.getMessage();
    if (message == null || message.isBlank()) {
      message = exception.getClass().getSimpleName();
    }
    return message.replace('\n', ' ');
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chil " + (version == null ? "development" : version)};
    }
  }
}
