package dev.chil.node.cli;

import dev.chil.client.ChilClient;
import dev.chil.client.VerifiedRead;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


/** {@code chil read}: a key's decided value, read linearizably, as JSON. */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = {"Read KEY's decided value, linearizably.",
        "The answer reflects every proposal acknowledged before the read began (the leader confirms",
        "it still leads first; a follower forwards the read). In pbft, 2f+1 replicas must sign the same",
        "answer, and the client checks them. Exits 0 if found, 1 if the key has none."})
final class ReadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Override
  public Integer call() throws Exception {
    try (ChilClient chil = client.open()) {
      VerifiedRead read = chil.read(key);
      spec.commandLine().getOut().println(Json.write(Json.read(read)));
      return read.found() ? 0 : Main.EXIT_FAILURE;
    }
  }
}
