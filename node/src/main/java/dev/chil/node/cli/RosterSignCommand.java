package dev.chil.node.cli;

import dev.chil.audit.chain.SignedRoster;
import dev.chil.crypto.Credentials;
import dev.chil.node.assembly.RosterSigning;
import dev.chil.node.config.ConfigLoader;
import dev.chil.node.config.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chil roster sign}: an admin signs the roster a node config describes. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
        "Sign the roster of a node config as an admin (spiffe://CLUSTER/admin/NAME): the cluster,",
        "protocol and quorum rule, every member with its certificate and weight, and the first slot.",
        "The members: the config's node, its peers with an id (certificate: cert_file, or ID.crt",
        "beside the CA), and every --node-cert, which stands for the config's peers without an id.",
        "Writes the signed roster (JSON) that every node's security.roster_file points at (by",
        "default roster.json beside the CA) and prints the genesis hash, which",
        "chil audit verify --genesis HASH pins. A node refuses to start without a signed roster."})
final class RosterSignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Any member's node config.")
  Path config;

  @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The admin's certificate (PEM).")
  Path cert;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "The admin's private key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--node-cert", split = ",", paramLabel = "FILE", description = {
      "A member's node certificate (PEM), repeatable: the members the config lists by address only,",
      "as the spec's example does. They take the weight those peers share."})
  List<Path> nodeCertificates = new ArrayList<>();

  @Option(names = "--first-slot", paramLabel = "N", description = "The slot the cluster's logs start at (default: ${DEFAULT-VALUE}).")
  long firstSlot = 0;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write (default: the config's security.roster_file).")
  Path out;

  @Override
  public Integer call() throws Exception {
    NodeConfig nodeConfig = ConfigLoader.load(config, System.getenv(), true);
    SignedRoster signed = RosterSigning.sign(nodeConfig, nodeCertificates, Credentials.load(cert, key), firstSlot,
        Instant.now());
    Path file = out != null ? out : nodeConfig.security().rosterFile().orElseThrow();
    RosterSigning.write(file, signed);
    PrintWriter print = spec.commandLine().getOut();
    print.println("Signed roster of cluster '" + signed.genesis().cluster() + "' (" + signed.genesis().protocol()
        .storedName() + ", " + signed.genesis().roster().size() + " members) by " + signed.adminName() + " in " + file);
    print.println("genesis " + HexFormat.of().formatHex(signed.genesis().hash().toByteArray()));
    return 0;
  }
}
