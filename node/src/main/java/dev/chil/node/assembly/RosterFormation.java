package dev.chil.node.assembly;

import dev.chil.audit.Genesis;
import dev.chil.audit.Protocol;
import dev.chil.audit.RosterMember;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfig.Peer;
import dev.chil.node.discovery.CertificateProbe;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles who the members are before anything else starts. A node that already has an audit log
 * takes the roster its genesis holds, and the config's ids must be members of it. A node founding
 * its log takes each member's certificate from the config's file or, when the config gives only
 * an address (as the spec's example does), from the certificate that address presents, checked
 * against the CA and against the id when the config gives one; it waits until every address has
 * answered, since the genesis must name every member.
 *
 * @param addresses the other members whose address is known for certain now, by name
 * @param unidentified addresses whose member is not known yet (only when the roster came from the log)
 */
record RosterFormation(ClusterRoster roster, SortedMap<String, HostPort> addresses, List<HostPort> unidentified) {
  private static final Logger LOG = LoggerFactory.getLogger(RosterFormation.class);
  static final Duration RETRY = Duration.ofMillis(250);
  static final Duration WAITING_LOG_EVERY = Duration.ofSeconds(10);

  /** What settles the roster; {@code probe} is empty without TLS, where nothing can be learned. */
  record Inputs(NodeConfig config, Credentials credentials, ClusterTrust trust, Clock clock,
      Optional<CertificateProbe> probe, BooleanSupplier closing) {}

  static RosterFormation existing(Inputs in, Genesis genesis) throws NodeStartException {
    NodeConfig config = in.config();
    TreeSet<String> names = new TreeSet<>();
    genesis.roster().forEach(member -> names.add(member.node()));
    if (!names.contains(config.nodeId())) {
      throw new NodeStartException("this node '" + config.nodeId() + "' is not a member of the roster its audit log"
          + " was founded with " + names);
    }
    SortedMap<String, HostPort> addresses = new TreeMap<>();
    List<HostPort> unidentified = new ArrayList<>();
    for (int i = 0; i < config.peers().size(); i++) {
      Peer peer = config.peers().get(i);
      if (peer.id().isEmpty()) {
        unidentified.add(peer.address());
      } else if (!names.contains(peer.id().get())) {
        throw new NodeStartException("consensus.peers[" + i + "].id: '" + peer.id().get() + "' is not a member of the"
            + " roster this node's audit log was founded with " + names + "; a roster change needs a new cluster");
      } else if (!peer.id().get().equals(config.nodeId())) {
        addresses.put(peer.id().get(), peer.address());
      }
    }
    return new RosterFormation(ClusterRoster.of(genesis), addresses, unidentified);
  }

  static RosterFormation founding(Inputs in) throws NodeStartException {
    NodeConfig config = in.config();
    TreeMap<String, RosterMember> members = new TreeMap<>();
    SortedMap<String, HostPort> addresses = new TreeMap<>();
    long selfWeight = 1;
    for (int i = 0; i < config.peers().size(); i++) {
      String at = "consensus.peers[" + i + "]";
      Peer peer = config.peers().get(i);
      X509Certificate certificate = certificate(in, peer, at);
      Identity identity = identity(in, certificate, at);
      if (peer.id().isPresent() && !peer.id().get().equals(identity.name())) {
        throw new NodeStartException(at + ": " + peer.address() + " presents the certificate of " + identity
            + ", but the config names it '" + peer.id().get() + "'");
      }
      if (identity.name().equals(config.nodeId())) {
        selfWeight = peer.weight();
        continue;
      }
      if (members.put(identity.name(), new RosterMember(identity.name(), certificate, peer.weight())) != null) {
        throw new NodeStartException(at + ": " + peer.address() + " is " + identity + ", which another entry is too");
      }
      addresses.put(identity.name(), peer.address());
    }
    members.put(config.nodeId(), new RosterMember(config.nodeId(), in.credentials().certificate(), selfWeight));
    Protocol protocol = config.protocol().type() == NodeConfig.ProtocolType.PBFT ? Protocol.PBFT : Protocol.PAXOS;
    Genesis genesis = ClusterRoster.genesis(config.cluster(), protocol, new ArrayList<>(members.values()));
    return new RosterFormation(ClusterRoster.of(genesis), addresses, List.of());
  }

  private static Identity identity(Inputs in, X509Certificate certificate, String at) throws NodeStartException {
    try {
      return in.trust().verify(List.of(certificate), in.clock().instant());
    } catch (CertificateRejectedException e) {
      throw new NodeStartException(at + ": " + e.getMessage(), e);
    }
  }

  /** The member's certificate: from its file when the config has one, else from its address. */
  private static X509Certificate certificate(Inputs in, Peer peer, String at) throws NodeStartException {
    if (peer.id().isPresent() && peer.id().get().equals(in.config().nodeId())) {
      return in.credentials().certificate();
    }
    if (peer.certFile().isPresent()) {
      try {
        return PemFiles.readCertificates(peer.certFile().get()).get(0);
      } catch (CryptoFileException e) {
        throw new NodeStartException(at + ".cert_file: " + e.getMessage(), e);
      }
    }
    if (in.probe().isEmpty()) {
      throw new NodeStartException(at + ": without TLS (--insecure-dev) a member cannot prove who it is; give its id"
          + " and a cert_file (or <id>.crt beside the CA file)");
    }
    return learn(in, peer.address(), at);
  }

  /** Asks the address until it answers: a new cluster forms only when every member is up. */
  private static X509Certificate learn(Inputs in, HostPort address, String at) throws NodeStartException {
    Instant nextLog = Instant.EPOCH;
    while (!in.closing().getAsBoolean()) {
      try {
        return in.probe().get().probe(address).certificate();
      } catch (CertificateRejectedException e) {
        throw new NodeStartException(at + ": " + address + " presents a certificate this cluster does not accept: "
            + e.getMessage(), e);
      } catch (IOException e) {
        Instant now = in.clock().instant();
        if (!now.isBefore(nextLog)) {
          LOG.info("founding the cluster: waiting for {} ({}) to answer, to learn its certificate: {}", address, at,
              e.getMessage());
          nextLog = now.plus(WAITING_LOG_EVERY);
        }
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new NodeStartException("stopped while waiting for " + address + " to answer");
  }
}
