package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.RosterRejectedException;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code chil roster sign} does: an admin signs the roster a node config and the node
 * certificates given with it describe (cluster, protocol, members with their certificates and
 * weights, a first slot: {@link RosterDraft}), checked as a node with that config would check it,
 * and writes the signed roster file every node's config points at.
 */
public final class RosterSigning {
  private RosterSigning() {}

  /**
   * @throws NodeStartException when the config's roster or the admin's credentials are not
   *     usable, naming why
   */
  public static SignedRoster sign(NodeConfig config, Credentials admin, long firstSlot, Instant now)
      throws NodeStartException {
    return sign(config, List.of(), admin, firstSlot, now);
  }

  /**
   * @param nodeCertificates certificate files of members the config gives no certificate for (its
   *     peers without an id, as the spec's example lists them)
   * @throws NodeStartException when the config's roster or the admin's credentials are not
   *     usable, naming why
   */
  public static SignedRoster sign(NodeConfig config, List<Path> nodeCertificates, Credentials admin, long firstSlot,
      Instant now) throws NodeStartException {
    ClusterTrust trust;
    try {
      trust = ClusterTrust.load(config.cluster(), config.security().caFile().orElseThrow(
          () -> new NodeStartException("the config names no ca_file")));
    } catch (CryptoFileException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
    Genesis genesis = RosterDraft.of(config, nodeCertificates, trust, now, firstSlot);
    // Refuse now what a node with this config would refuse at start.
    SignedRosters.requireConsistent(genesis, config, genesis.member(config.nodeId()).certificate());
    SignedRoster signed;
    try {
      signed = SignedRoster.sign(genesis, admin);
      signed.verify(trust, now);
    } catch (IllegalArgumentException | RosterRejectedException e) {
      throw new NodeStartException("the roster cannot be signed: " + e.getMessage(), e);
    }
    return signed;
  }

  /** Writes the signed roster as JSON, replacing the file. */
  public static void write(Path file, SignedRoster signed) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, ".roster-", ".tmp");
    Files.writeString(temporary, SignedRosterJson.write(signed));
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
