package dev.chil.node.cli;

import com.google.protobuf.ByteString;
import dev.chil.client.ChilClient;
import dev.chil.client.VerifiedProposal;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


/** {@code chil propose}: proposes a value for a key and prints the decision as JSON. */
@Command(
    name = "propose",
    mixinStandardHelpOptions = true,
    description = {"Propose VALUE for KEY and wait until it is decided.",
        "Prints the result as JSON and exits 0 only if the value took effect: under first-wins,",
        "a key that already has a decided value answers success=false with the standing value",
        "(exit 1). Retrying with the same --request-id is applied at most once.",
        "The request is signed with --key (a pbft cluster takes only requests their client signed).",
        "The answer is checked against the roster the CA vouches for (certificate, inclusion of the",
        "command and, in pbft, f+1 replicas' votes on the result); one that does not verify is refused."})
final class ProposeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--request-id", paramLabel = "ID", description = "Reuse an id to retry safely (default: a new UUID).")
  String requestId = UUID.randomUUID().toString();

  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE")
  String value;

  @Override
  public Integer call() throws Exception {
    try (ChilClient chil = client.open()) {
      VerifiedProposal decided = chil.propose(key, ByteString.copyFromUtf8(value), requestId);
      spec.commandLine().getOut().println(Json.write(Json.propose(decided)));
      return decided.success() ? 0 : Main.EXIT_FAILURE;
    }
  }
}
