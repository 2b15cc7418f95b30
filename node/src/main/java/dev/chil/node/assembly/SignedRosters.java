package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.RosterRejectedException;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SecurityEvents;
import dev.chil.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin-signed roster file of a node's config: read, checked against the CA, and compared
 * with the config. Fails closed: a node never starts on a roster no admin signed.
 */
final class SignedRosters {
  private static final Logger LOG = LoggerFactory.getLogger(SignedRosters.class);

  private SignedRosters() {}

  static SignedRoster load(NodeConfig config, ClusterTrust trust, Instant now) throws NodeStartException {
    Path file = config.security().rosterFile().orElseThrow(() -> new NodeStartException(
        "consensus.security.roster_file is not set, and there is no ca_file to find roster.json beside"));
    SignedRoster signed;
    try {
      signed = SignedRosterJson.parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new NodeStartException(file + " (consensus.security.roster_file) does not exist: a node starts only on a"
          + " roster an admin signed; make one with chil roster sign");
    } catch (IOException e) {
      throw new NodeStartException(file + ": cannot be read: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new NodeStartException(file + ": not a signed roster: " + e.getMessage(), e);
    }
    try {
      Identity admin = signed.verify(trust, now);
      LOG.info("roster {} signed by {}, genesis {}", file, admin,
          HexFormat.of().formatHex(signed.genesis().hash().toByteArray()));
    } catch (RosterRejectedException e) {
      SecurityEvents.rosterRejected(file.toString(), e.problem().name().toLowerCase(Locale.ROOT), e.getMessage());
      throw new NodeStartException(file + ": refused: " + e.getMessage(), e);
    }
    return signed;
  }

  /** The signed roster must say what the config says: protocol, members, weights, certificates. */
  static void requireSame(Genesis signed, Genesis configured, NodeConfig config) throws NodeStartException {
    Path file = config.security().rosterFile().orElseThrow();
    if (signed.protocol() != configured.protocol()) {
      throw new NodeStartException(file + ": the signed roster is for " + signed.protocol().storedName()
          + ", but the config says " + configured.protocol().storedName());
    }
    if (!signed.roster().stream().map(RosterMember::node).toList()
        .equals(configured.roster().stream().map(RosterMember::node).toList())) {
      throw new NodeStartException(file + ": the signed roster's members " + names(signed)
          + " are not the config's peers " + names(configured));
    }
    for (RosterMember member : signed.roster()) {
      RosterMember peer = configured.member(member.node());
      if (peer.weight() != member.weight()) {
        throw new NodeStartException(file + ": the signed roster gives " + member.node() + " weight "
            + member.weight() + ", but the config gives it " + peer.weight());
      }
      if (!Arrays.equals(peer.certificateDer(), member.certificateDer())) {
        throw new NodeStartException(file + ": the signed roster holds another certificate for " + member.node()
            + " than the config's peer certificate file");
      }
    }
  }

  private static String names(Genesis genesis) {
    return genesis.roster().stream().map(RosterMember::node).toList().toString();
  }
}
