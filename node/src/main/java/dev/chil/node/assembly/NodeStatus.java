package dev.chil.node.assembly;

import dev.chil.audit.chain.Head;
import dev.chil.node.config.HostPort;
import dev.chil.node.discovery.PeerDiscovery;
import dev.chil.node.core.common.Replica;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.PeerTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * How a node sees the cluster at one moment.
 *
 * @param role "leader", "candidate" or "follower"
 * @param leader the node believed to lead, or empty
 * @param epoch the highest ballot this node has promised (paxos) or its view (pbft), as text
 * @param deliveredUpTo how many slots this node has decided and applied
 * @param lagging catching up: behind by more decided slots than a leader keeps in flight
 * @param slotsBehind decided slots this node knows of and has not applied yet
 */
public record NodeStatus(String nodeId, String role, String leader, String epoch, long deliveredUpTo, Head auditHead,
    List<PeerStatus> peers, boolean lagging, long slotsBehind) {

  /** A peer as this node sees it: reachable or not, and how suspect. */
  public record PeerStatus(String nodeId, String address, boolean connected, double phi) {}

  static CompletableFuture<NodeStatus> of(String nodeId, Driver driver, PeerTransport transport,
      PeerDiscovery discovery, Function<Replica, CoreStatus> coreStatus) {
    Map<String, Boolean> connected = transport.connected();
    Map<String, HostPort> addresses = discovery.addresses();
    return driver.inspect(view -> {
      CoreStatus core = coreStatus.apply(view.replica());
      String leader = core.leader();
      List<PeerStatus> peers = new ArrayList<>();
      Map<String, Double> phis = view.failureDetector().phis(view.nowMillis());
      for (Map.Entry<String, Boolean> peer : connected.entrySet()) {
        HostPort address = addresses.get(peer.getKey());
        peers.add(new PeerStatus(peer.getKey(), address == null ? "unknown" : address.toString(), peer.getValue(),
            phis.getOrDefault(peer.getKey(), 0.0)));
      }
      return new NodeStatus(nodeId, core.role(), leader == null ? "" : leader, core.epoch(), core.deliveredUpTo(),
          view.audit().head(), peers, core.lagging(), core.slotsBehind());
    });
  }
}
