package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.core.common.Roster;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.TreeMap;

/**
 * The cluster's members as every layer needs them: the core's weights, the audit log's genesis
 * (names, certificates, weights) as an admin signed it, and the verifier of their signatures.
 * Everything comes from the signed roster, which must be signed by an admin of the CA and agree
 * with the config; nothing a peer, an address or DNS says can add a member or change a weight.
 */
record ClusterRoster(Roster roster, SignedRoster signedRoster, Verifier verifier) {

  Genesis genesis() {
    return signedRoster.genesis();
  }

  /** @param own this node's certificate, which the signed roster must hold for it */
  static ClusterRoster load(NodeConfig config, ClusterTrust trust, X509Certificate own, Instant now)
      throws NodeStartException {
    SignedRoster signed = SignedRosters.load(config, trust, now);
    SignedRosters.requireConsistent(signed.genesis(), config, own);
    TreeMap<String, Integer> weights = weights(signed.genesis());
    try {
      return new ClusterRoster(Roster.of(signed.genesis().cluster(), weights), signed, TinkVerifier.forCertificates(
          signed.genesis().cluster(), signed.genesis().roster().stream().map(RosterMember::certificate).toList()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new NodeStartException("the roster is not usable: " + e.getMessage(), e);
    }
  }

  /**
   * Every member's weight, by name. The audit format allows weights up to 2^32-1, the core counts
   * them in an int: a roster beyond that is refused by name rather than overflowing.
   */
  static TreeMap<String, Integer> weights(Genesis genesis) throws NodeStartException {
    TreeMap<String, Integer> weights = new TreeMap<>();
    for (RosterMember member : genesis.roster()) {
      if (member.weight() > Integer.MAX_VALUE) {
        throw new NodeStartException("the signed roster gives " + member.node() + " weight " + member.weight()
            + "; a node runs weights of 1.." + Integer.MAX_VALUE);
      }
      weights.put(member.node(), (int) member.weight());
    }
    return weights;
  }
}
