package dev.chil.node.assembly;

import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The network between a test cluster's nodes: every node reaches every peer through a
 * {@link LinkProxy} of its own, so a test can cut, heal, pause and resume the links between
 * nodes. Clients still reach nodes directly.
 */
final class Links implements AutoCloseable {
  // from → to → the link from's connections to to go through.
  private final Map<String, Map<String, LinkProxy>> links = new TreeMap<>();
  private final TestCluster cluster;

  Links(TestCluster cluster) throws IOException {
    this.cluster = cluster;
    for (String from : cluster.names) {
      Map<String, LinkProxy> out = new TreeMap<>();
      for (String to : cluster.names) {
        if (!to.equals(from)) {
          out.put(to, new LinkProxy(cluster.ports.get(to)));
        }
      }
      links.put(from, out);
    }
  }

  /** Starts {@code node} with its peers behind its links. */
  ConsensusNode start(String node) throws Exception {
    SortedMap<String, HostPort> addresses = new TreeMap<>();
    links.get(node).forEach((peer, link) -> addresses.put(peer, new HostPort("127.0.0.1", link.port())));
    return cluster.start(node, () -> addresses);
  }

  void startAll() throws Exception {
    for (String node : cluster.names) {
      start(node);
    }
  }

  /** Cuts both directions between two nodes. */
  void cut(String one, String other) {
    links.get(one).get(other).cut();
    links.get(other).get(one).cut();
  }

  void heal(String one, String other) {
    links.get(one).get(other).heal();
    links.get(other).get(one).heal();
  }

  /** Cuts every link to and from {@code node}. */
  void isolate(String node) {
    forEachOf(node, LinkProxy::cut);
  }

  void heal(String node) {
    forEachOf(node, LinkProxy::heal);
  }

  /** {@code from}'s connections to {@code to} hold their bytes, both ways; the other direction's links still carry. */
  void pause(String from, String to) {
    links.get(from).get(to).pause();
  }

  /** Every link to and from {@code node} holds its bytes: to its peers it looks stopped (SIGSTOP). */
  void pause(String node) {
    forEachOf(node, LinkProxy::pause);
  }

  void resume(String node) {
    forEachOf(node, LinkProxy::resume);
  }

  private void forEachOf(String node, java.util.function.Consumer<LinkProxy> action) {
    links.forEach((from, out) -> out.forEach((to, link) -> {
      if (from.equals(node) || to.equals(node)) {
        action.accept(link);
      }
    }));
  }

  @Override
  public void close() throws IOException {
    for (Map<String, LinkProxy> out : links.values()) {
      for (LinkProxy link : out.values()) {
        link.close();
      }
    }
  }
}
