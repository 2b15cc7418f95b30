package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The addresses written in the config's {@code peers}: the default discovery. */
public final class StaticPeerDiscovery implements PeerDiscovery {
  private final SortedMap<String, HostPort> addresses;

  public StaticPeerDiscovery(NodeConfig config) {
    SortedMap<String, HostPort> others = new TreeMap<>();
    for (NodeConfig.Peer peer : config.peers()) {
      if (!peer.id().equals(config.nodeId())) {
        others.put(peer.id(), peer.address());
      }
    }
    this.addresses = Collections.unmodifiableSortedMap(others);
  }

  @Override
  public SortedMap<String, HostPort> addresses() {
    return addresses;
  }
}
