package dev.chil.node.cli;

import picocli.CommandLine.Command;

/** {@code chil certs}: certificate tooling. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Make and inspect certificates.",
    subcommands = {CertsDevCommand.class})
final class CertsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
