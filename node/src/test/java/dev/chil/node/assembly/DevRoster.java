package dev.chil.node.assembly;

import dev.chil.crypto.Credentials;
import dev.chil.node.config.NodeConfig;
import java.nio.file.Path;
import java.time.Instant;

/** Signs a test cluster's roster with the dev admin {@code admin-<name>} of its PKI directory. */
public final class DevRoster {
  private DevRoster() {}

  /** Writes the signed roster where the config looks for it (roster.json beside the CA by default). */
  public static void sign(NodeConfig config, Path pki, String admin) throws Exception {
    Credentials credentials = Credentials.load(pki.resolve("admin-" + admin + ".crt"), pki.resolve("admin-" + admin + ".key"));
    RosterSigning.write(config.security().rosterFile().orElseThrow(),
        RosterSigning.sign(config, credentials, 0, Instant.now()));
  }
}
