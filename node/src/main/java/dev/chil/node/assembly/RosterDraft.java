package dev.chil.node.assembly;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.config.NodeConfig.Peer;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The roster an admin signs ({@code chil roster sign}), unsigned: from a member's config and the
 * node certificates given beside it. This node is a member with its own certificate; a peer with
 * an id with its certificate file (or {@code <id>.crt} beside the CA, or a given certificate that
 * names it) and its weight; every other given certificate is a member too, with the weight the
 * config's id-less peers share. Every certificate must chain to the CA and name a node of the
 * cluster. Nothing is asked of the network: the admin decides who the members are.
 */
final class RosterDraft {
  private RosterDraft() {}

  static Genesis of(NodeConfig config, List<Path> nodeCertificates, ClusterTrust trust, Instant now, long firstSlot)
      throws NodeStartException {
    TreeMap<String, X509Certificate> given = new TreeMap<>();
    for (Path file : nodeCertificates) {
      X509Certificate certificate = read(file, "--node-cert " + file);
      String name = nodeOf(certificate, trust, now, "--node-cert " + file);
      X509Certificate before = given.put(name, certificate);
      if (before != null && !same(before, certificate)) {
        throw new NodeStartException("--node-cert: two different certificates name " + name);
      }
    }
    TreeMap<String, RosterMember> members = new TreeMap<>();
    Path ownFile = config.security().certFile().orElseThrow(
        () -> new NodeStartException("the config names no security.cert_file"));
    X509Certificate own = read(ownFile, "consensus.security.cert_file");
    if (!nodeOf(own, trust, now, ownFile.toString()).equals(config.nodeId())) {
      throw new NodeStartException(ownFile + ": does not name this node " + config.nodeId());
    }
    members.put(config.nodeId(), new RosterMember(config.nodeId(), own, config.self().map(Peer::weight).orElse(1)));
    Set<Integer> idlessWeights = new TreeSet<>();
    for (int i = 0; i < config.peers().size(); i++) {
      Peer peer = config.peers().get(i);
      if (peer.id().isEmpty()) {
        idlessWeights.add(peer.weight());
      } else if (!peer.id().get().equals(config.nodeId())) {
        String at = "consensus.peers[" + i + "]";
        X509Certificate certificate = certificateOf(peer, given, trust, now, at);
        members.put(peer.id().get(), new RosterMember(peer.id().get(), certificate, peer.weight()));
      }
    }
    for (var entry : given.entrySet()) {
      RosterMember known = members.get(entry.getKey());
      if (known != null) {
        if (!same(known.certificate(), entry.getValue())) {
          throw new NodeStartException("--node-cert: the certificate given for " + entry.getKey()
              + " is not the one the config has for it");
        }
        continue;
      }
      if (idlessWeights.size() > 1) {
        throw new NodeStartException("the config's peers without an id have different weights " + idlessWeights
            + ": give them ids, so that the roster can say which member has which weight");
      }
      int weight = idlessWeights.isEmpty() ? 1 : idlessWeights.iterator().next();
      members.put(entry.getKey(), new RosterMember(entry.getKey(), entry.getValue(), weight));
    }
    int unnamed = members.size() - 1 - (int) config.peers().stream()
        .filter(peer -> peer.id().isPresent() && !peer.id().get().equals(config.nodeId())).count();
    int idless = (int) config.peers().stream().filter(peer -> peer.id().isEmpty()).count();
    // One id-less address may be this node's own, when every node shares one list.
    if (unnamed < idless - (config.self().isPresent() ? 0 : 1)) {
      throw new NodeStartException("the config lists " + idless + " peers without an id, and --node-cert gives the"
          + " certificates of " + unnamed + " members it does not name: give each such member's node certificate"
          + " (--node-cert FILE,...)");
    }
    return genesis(config, List.copyOf(members.values()), firstSlot);
  }

  private static Genesis genesis(NodeConfig config, List<RosterMember> members, long firstSlot)
      throws NodeStartException {
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

  /** A named peer's certificate: its file, else a given certificate that names it. */
  private static X509Certificate certificateOf(Peer peer, TreeMap<String, X509Certificate> given, ClusterTrust trust,
      Instant now, String at) throws NodeStartException {
    String id = peer.id().orElseThrow();
    if (peer.certFile().isEmpty()) {
      X509Certificate certificate = given.get(id);
      if (certificate == null) {
        throw new NodeStartException(at + " (" + id + ") has no certificate: set its cert_file, put " + id
            + ".crt beside the CA file, or give it with --node-cert");
      }
      return certificate;
    }
    X509Certificate certificate = read(peer.certFile().get(), at + ".cert_file");
    String name = nodeOf(certificate, trust, now, peer.certFile().get().toString());
    if (!name.equals(id)) {
      throw new NodeStartException(peer.certFile().get() + ": names " + Identity.node(trust.cluster(), name)
          + ", but it is listed for peer " + id);
    }
    return certificate;
  }

  private static X509Certificate read(Path file, String what) throws NodeStartException {
    try {
      return PemFiles.readCertificates(file).get(0);
    } catch (CryptoFileException e) {
      throw new NodeStartException(what + ": " + e.getMessage(), e);
    }
  }

  /** The node a certificate names, checked against the CA: it must be a node of this cluster. */
  private static String nodeOf(X509Certificate certificate, ClusterTrust trust, Instant now, String what)
      throws NodeStartException {
    try {
      Identity identity = trust.verify(List.of(certificate), now);
      if (!identity.equals(Identity.node(trust.cluster(), identity.name()))) {
        throw new NodeStartException(what + ": names " + identity + ", which is not a node of cluster "
            + trust.cluster());
      }
      return identity.name();
    } catch (CertificateRejectedException e) {
      throw new NodeStartException(what + ": " + e.getMessage(), e);
    }
  }

  private static boolean same(X509Certificate a, X509Certificate b) throws NodeStartException {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new NodeStartException("a certificate cannot be encoded: " + e.getMessage(), e);
    }
  }
}
