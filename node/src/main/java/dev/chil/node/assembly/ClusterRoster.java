package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfig.Peer;
import dev.chil.node.core.common.Roster;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The cluster's members as every layer needs them: the core's weights, the audit log's genesis
 * (names, certificates, weights) and the verifier of their signatures. Every certificate is checked
 * against the cluster CA and must name the member it is listed for.
 */
record ClusterRoster(Roster roster, Genesis genesis, Verifier verifier) {

  static ClusterRoster load(NodeConfig config, ClusterTrust trust, Instant now) throws NodeStartException {
    List<RosterMember> members = new ArrayList<>();
    List<X509Certificate> certificates = new ArrayList<>();
    TreeMap<String, Integer> weights = new TreeMap<>();
    for (Peer peer : config.peers()) {
      X509Certificate certificate = certificateOf(peer, trust, now);
      members.add(new RosterMember(peer.id(), certificate, peer.weight()));
      certificates.add(certificate);
      weights.put(peer.id(), peer.weight());
    }
    Protocol protocol = config.protocol().type() == NodeConfig.ProtocolType.PBFT ? Protocol.PBFT : Protocol.PAXOS;
    try {
      return new ClusterRoster(Roster.of(config.cluster(), weights),
          new Genesis(config.cluster(), protocol, 0, members),
          TinkVerifier.forCertificates(config.cluster(), certificates));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new NodeStartException("the roster is not usable: " + e.getMessage(), e);
    }
  }

  private static X509Certificate certificateOf(Peer peer, ClusterTrust trust, Instant now) throws NodeStartException {
    if (peer.certFile().isEmpty()) {
      throw new NodeStartException("peer " + peer.id() + " has no certificate file");
    }
    try {
      X509Certificate certificate = PemFiles.readCertificates(peer.certFile().get()).get(0);
      Identity identity = trust.verify(List.of(certificate), now);
      if (!identity.equals(Identity.node(trust.cluster(), peer.id()))) {
        throw new NodeStartException(peer.certFile().get() + ": names " + identity + ", but it is listed for peer "
            + peer.id());
      }
      return certificate;
    } catch (CryptoFileException e) {
      throw new NodeStartException(e.getMessage(), e);
    } catch (CertificateRejectedException e) {
      throw new NodeStartException(peer.certFile().get() + ": " + e.getMessage(), e);
    }
  }
}
