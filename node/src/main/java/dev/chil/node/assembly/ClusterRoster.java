package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
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
 * (names, certificates, weights) as an admin signed it, and the verifier of their signatures.
 * Every certificate is checked against the cluster CA and must name the member it is listed for;
 * the signed roster must be signed by an admin of the CA and say exactly what the config says.
 */
record ClusterRoster(Roster roster, SignedRoster signedRoster, Verifier verifier) {

  Genesis genesis() {
    return signedRoster.genesis();
  }

  static ClusterRoster load(NodeConfig config, ClusterTrust trust, Instant now) throws NodeStartException {
    Genesis configured = genesisOf(config, trust, now, 0);
    SignedRoster signed = SignedRosters.load(config, trust, now);
    SignedRosters.requireSame(signed.genesis(), configured, config);
    TreeMap<String, Integer> weights = new TreeMap<>();
    config.peers().forEach(peer -> weights.put(peer.id(), peer.weight()));
    try {
      return new ClusterRoster(Roster.of(config.cluster(), weights), signed, TinkVerifier.forCertificates(
          config.cluster(), signed.genesis().roster().stream().map(RosterMember::certificate).toList()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new NodeStartException("the roster is not usable: " + e.getMessage(), e);
    }
  }

  /**
   * The roster the config describes, unsigned: what {@code chil roster sign} signs, and what a
   * node compares the signed roster with (the first slot aside). Refuses an unsound quorum rule.
   */
  static Genesis genesisOf(NodeConfig config, ClusterTrust trust, Instant now, long firstSlot)
      throws NodeStartException {
    List<RosterMember> members = new ArrayList<>();
    for (Peer peer : config.peers()) {
      members.add(new RosterMember(peer.id(), certificateOf(peer, trust, now), peer.weight()));
    }
    Protocol protocol = config.protocol().type() == NodeConfig.ProtocolType.PBFT ? Protocol.PBFT : Protocol.PAXOS;
    Genesis genesis;
    try {
      genesis = new Genesis(config.cluster(), protocol, firstSlot, members);
    } catch (IllegalArgumentException e) {
      throw new NodeStartException("the roster is not usable: " + e.getMessage(), e);
    }
    String unsound = genesis.unsoundness();
    if (unsound != null) {
      throw new NodeStartException("the roster's quorum rule is unsound: " + unsound);
    }
    return genesis;
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
