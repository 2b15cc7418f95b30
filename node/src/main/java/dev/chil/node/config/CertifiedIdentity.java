package dev.chil.node.config;

import dev.chil.crypto.CertificateIdentity;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.Role;
import dev.chil.node.config.NodeConfig.Security;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The node's own SPIFFE identity, read from its certificate file when the config leaves
 * {@code cluster} or {@code node_id} out, as the spec's example does. The certificate is checked
 * against the CA when the node starts; here it only names the defaults.
 */
final class CertifiedIdentity {
  private CertifiedIdentity() {}

  static Optional<Identity> read(ConfigTree tree, JsonNode root, Security security) {
    boolean needed = absent(root, "cluster") || absent(root, "node_id");
    if (!needed || security.certFile().isEmpty()) {
      if (needed && security.certFile().isEmpty()) {
        tree.problem(ConfigLoader.ROOT + ".cluster", "is not set, and there is no security.cert_file to read it from");
      }
      return Optional.empty();
    }
    try {
      Identity identity = CertificateIdentity.of(PemFiles.readCertificates(security.certFile().get()).get(0));
      if (identity.role() != Role.NODE) {
        throw new CertificateRejectedException("names " + identity + ", which is not a node");
      }
      return Optional.of(identity);
    } catch (CryptoFileException | CertificateRejectedException | IndexOutOfBoundsException e) {
      tree.problem(absent(root, "cluster") ? ConfigLoader.ROOT + ".cluster" : ConfigLoader.ROOT + ".node_id",
          "is not set, and the node certificate " + security.certFile().get() + " cannot name it: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean absent(JsonNode root, String key) {
    JsonNode node = root.get(key);
    return node == null || node.isNull();
  }
}
