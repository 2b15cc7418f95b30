package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import dev.chil.node.config.NodeConfig;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Fixed addresses by node name, such as the config's entries that give an id. */
public final class StaticPeerDiscovery implements PeerDiscovery {
  private final SortedMap<String, HostPort> addresses;

  /** The config's entries that name an id, this node's left out. */
  public StaticPeerDiscovery(NodeConfig config) {
    this(named(config));
  }

  public StaticPeerDiscovery(Map<String, HostPort> addresses) {
    this.addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
  }

  private static Map<String, HostPort> named(NodeConfig config) {
    Map<String, HostPort> named = new TreeMap<>();
    for (NodeConfig.Peer peer : config.peers()) {
      peer.id().filter(id -> !id.equals(config.nodeId())).ifPresent(id -> named.put(id, peer.address()));
    }
    return named;
  }

  @Override
  public SortedMap<String, HostPort> addresses() {
    return addresses;
  }
}
