package dev.chil.node.cli;

import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chil status}: how a node sees the cluster, as JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print a node's role, leader, commit index, audit head and peers (with phi) as JSON.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Override
  public Integer call() throws Exception {
    StatusResponse status = client.call("status", stub -> stub.status(StatusRequest.getDefaultInstance()));
    spec.commandLine().getOut().println(Json.write(Json.status(status)));
    return 0;
  }
}
