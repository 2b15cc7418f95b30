package dev.chil.node.assembly;

import dev.chil.audit.Genesis;
import dev.chil.audit.Protocol;
import dev.chil.audit.RosterMember;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Roster;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The cluster's members as every layer needs them: the core's weights, the audit log's genesis
 * (names, certificates, weights) and the verifier of their signatures.
 */
record ClusterRoster(Roster roster, Genesis genesis, Verifier verifier) {

  /** From the genesis a node founds its audit log with, or found its existing log with. */
  static ClusterRoster of(Genesis genesis) throws NodeStartException {
    List<X509Certificate> certificates = new ArrayList<>();
    TreeMap<String, Integer> weights = new TreeMap<>();
    for (RosterMember member : genesis.roster()) {
      certificates.add(member.certificate());
      weights.put(member.node(), Math.toIntExact(member.weight()));
    }
    try {
      return new ClusterRoster(Roster.of(genesis.cluster(), weights), genesis,
          TinkVerifier.forCertificates(genesis.cluster(), certificates));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new NodeStartException("the roster is not usable: " + e.getMessage(), e);
    }
  }

  static Genesis genesis(String cluster, Protocol protocol, List<RosterMember> members) {
    List<RosterMember> sorted = new ArrayList<>(members);
    // The same order on every node, whichever order each config lists its peers in.
    sorted.sort((a, b) -> a.node().compareTo(b.node()));
    return new Genesis(cluster, protocol, 0, sorted);
  }
}
