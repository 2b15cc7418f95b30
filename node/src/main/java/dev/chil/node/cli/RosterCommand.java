package dev.chil.node.cli;

import picocli.CommandLine.Command;

/** {@code chil roster}: the cluster's founding roster, as an admin signs it. */
@Command(
    name = "roster",
    mixinStandardHelpOptions = true,
    description = "Sign the cluster's founding roster (members, certificates, weights, protocol).",
    subcommands = {RosterSignCommand.class})
final class RosterCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
