package dev.chil.node.cli;

import dev.chil.node.assembly.ConsensusNode;
import dev.chil.node.config.ConfigException;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chil node}: runs a node in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Run a node in the foreground.",
        "CONSENSUS_* environment variables override the file.",
        "SIGTERM or Ctrl-C stops it cleanly: in-flight work ends and a signed audit head is written.",
        "SIGHUP reloads the policy file (so does a change of the file)."})
final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's YAML config.")
  Path configFile;

  @Option(names = "--insecure-dev", description = "Allow security.tls_enabled: false. Development only; never in production.")
  boolean insecureDev;

  @Override
  public Integer call() throws Exception {
    NodeConfig config;
    try {
      config = ConfigLoader.load(configFile, System.getenv(), insecureDev);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("chil: error: " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
    LogSetup.identify(config.cluster(), config.nodeId());
    ConsensusNode node = ConsensusNode.builder().config(config).build();
    node.start();
    HangUpSignal.onHangUp(() -> node.reloadPolicy("SIGHUP"));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping node {}", config.nodeId());
      node.close();
      exit.complete(0);
    }, "chil-shutdown"));
    node.failed().whenComplete((done, failure) -> exit.complete(Main.EXIT_FAILURE));
    spec.commandLine().getErr().println("chil: node " + config.nodeId() + " serving on " + config.bindAddress().host()
        + ":" + node.port() + " (Ctrl-C to stop)");
    int status = exit.get();
    if (status != 0) {
      // The node stopped on its own: exit non-zero so that a supervisor restarts it from its data.
      spec.commandLine().getErr().println("chil: error: node " + config.nodeId() + " stopped: it could not go on safely; see the log");
      node.close();
    }
    return status;
  }
}
