package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.RosterRejectedException;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.SecurityEvents;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfig.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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

  /**
   * The signed roster must say what the config says: the protocol; this node a member, with its
   * own certificate; every peer the config names by id a member, with the config's weight and, if
   * the config has its certificate file, that certificate; and no more addresses without an id
   * than unnamed members they could be (one more may be this node's own address). Without DNS
   * discovery, every member must have an address. Which member an id-less address is, only the
   * certificate it presents says, once the node runs.
   */
  static void requireConsistent(Genesis signed, NodeConfig config, X509Certificate own) throws NodeStartException {
    Path file = config.security().rosterFile().orElseThrow();
    Protocol configured = config.protocol().type() == NodeConfig.ProtocolType.PBFT ? Protocol.PBFT : Protocol.PAXOS;
    if (signed.protocol() != configured) {
      throw new NodeStartException(file + ": the signed roster is for " + signed.protocol().storedName()
          + ", but the config says " + configured.storedName());
    }
    RosterMember self = signed.member(config.nodeId());
    if (self == null) {
      throw new NodeStartException(file + ": this node '" + config.nodeId() + "' is not a member of the signed roster "
          + names(signed));
    }
    if (!Arrays.equals(self.certificateDer(), der(own))) {
      throw new NodeStartException(file + ": the signed roster holds another certificate for this node "
          + config.nodeId() + " than its cert_file");
    }
    Set<String> named = new TreeSet<>();
    int addressesWithoutId = 0;
    for (int i = 0; i < config.peers().size(); i++) {
      Peer peer = config.peers().get(i);
      if (peer.id().isEmpty()) {
        addressesWithoutId++;
        continue;
      }
      requireSamePeer(signed, peer, "consensus.peers[" + i + "]", file);
      named.add(peer.id().get());
    }
    Set<String> unnamed = new TreeSet<>(names(signed));
    unnamed.removeAll(named);
    unnamed.remove(config.nodeId());
    int addressesMax = unnamed.size() + (named.contains(config.nodeId()) ? 0 : 1);
    if (addressesWithoutId > addressesMax) {
      throw new NodeStartException(file + ": the config lists " + addressesWithoutId + " peers without an id, but the"
          + " signed roster has only " + unnamed.size() + " members it does not name " + unnamed
          + " (and this node): an address beyond the signed roster can never be a member");
    }
    if (config.discovery().type() == NodeConfig.DiscoveryType.STATIC && addressesWithoutId < unnamed.size()) {
      throw new NodeStartException(file + ": the signed roster's members " + names(signed) + " are not the config's"
          + " peers: " + (unnamed.size() - addressesWithoutId) + " of " + unnamed + " have no address in it");
    }
  }

  private static void requireSamePeer(Genesis signed, Peer peer, String at, Path file) throws NodeStartException {
    String id = peer.id().orElseThrow();
    RosterMember member = signed.member(id);
    if (member == null) {
      throw new NodeStartException(at + ".id: '" + id + "' is not a member of the signed roster " + names(signed)
          + " (" + file + "); a roster change needs a new cluster");
    }
    if (member.weight() != peer.weight()) {
      throw new NodeStartException(file + ": the signed roster gives " + id + " weight " + member.weight()
          + ", but the config gives it " + peer.weight());
    }
    if (peer.certFile().isPresent()) {
      byte[] configured;
      try {
        configured = der(PemFiles.readCertificates(peer.certFile().get()).get(0));
      } catch (CryptoFileException e) {
        throw new NodeStartException(at + ".cert_file: " + e.getMessage(), e);
      }
      if (!Arrays.equals(configured, member.certificateDer())) {
        throw new NodeStartException(file + ": the signed roster holds another certificate for " + id
            + " than the config's peer certificate file " + peer.certFile().get());
      }
    }
  }

  private static byte[] der(X509Certificate certificate) throws NodeStartException {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new NodeStartException("a certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  private static List<String> names(Genesis genesis) {
    return genesis.roster().stream().map(RosterMember::node).toList();
  }
}
