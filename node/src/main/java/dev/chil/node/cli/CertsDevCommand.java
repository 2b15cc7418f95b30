package dev.chil.node.cli;

import dev.chil.crypto.pki.DevPki;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chil certs dev}: a development PKI, one CA and a certificate per node, client and admin. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
        "Make a development PKI: a cluster CA (ca.crt, ca.key) and, for every node and client,",
        "NAME.crt and NAME.key (PKCS#8 PEM, mode 0600), and admin-NAME.crt and admin-NAME.key for",
        "every admin. Identities are SPIFFE URI SANs: spiffe://CLUSTER/node/NAME,",
        "spiffe://CLUSTER/client/NAME and spiffe://CLUSTER/admin/NAME. An admin signs the cluster's",
        "roster (chil roster sign). Node certificates also name localhost and 127.0.0.1.",
        "For development only: the CA key is written beside the rest."})
final class CertsDevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write to (created if missing).")
  Path out;

  @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "Cluster name: a-z, 0-9, '.', '-'.")
  String cluster;

  @Option(names = "--nodes", required = true, split = ",", splitSynopsisLabel = ",", paramLabel = "NAME", description = "Node names, e.g. node-1,node-2,node-3.")
  List<String> nodes;

  @Option(names = "--clients", split = ",", splitSynopsisLabel = ",", paramLabel = "NAME", description = "Client names, e.g. alice,bob.")
  List<String> clients = new ArrayList<>();

  @Option(names = "--admins", split = ",", splitSynopsisLabel = ",", paramLabel = "NAME", description = "Admin names, e.g. alice: they sign rosters.")
  List<String> admins = new ArrayList<>();

  @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE}).")
  int days = 365;

  @Option(names = "--force", description = "Replace an existing CA in DIR (everything it signed stops being trusted).")
  boolean force;

  @Override
  public Integer call() throws Exception {
    DevPki.Request request;
    try {
      request = new DevPki.Request(cluster, nodes, clients, admins, days);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("certs dev: " + e.getMessage(), e);
    }
    DevPki.Result result = DevPki.generate(out, request, Instant.now(), force);
    PrintWriter print = spec.commandLine().getOut();
    print.println("Development PKI for cluster '" + cluster + "' in " + out + ":");
    print.println("  CA          " + result.caCertificate() + " (key beside it: keep it out of production)");
    for (Path certificate : result.certificates()) {
      print.println("  certificate " + certificate);
    }
    print.println("Check with: openssl verify -CAfile " + result.caCertificate() + " " + result.certificates().get(0));
    return 0;
  }
}
