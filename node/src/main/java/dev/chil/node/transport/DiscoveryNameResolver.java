package dev.chil.node.transport;

import dev.chil.node.config.HostPort;
import dev.chil.node.discovery.PeerDiscovery;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Resolves {@code chil-peer:///<node>} to where discovery says that node is now, again whenever
 * discovery learns something. Only where, never who: the channel's TLS still insists on that
 * node's own certificate, so a wrong address fails its handshake instead of reaching a stranger.
 */
final class DiscoveryNameResolver extends NameResolver {
  static final String SCHEME = "chil-peer";

  private final String peer;
  private final PeerDiscovery discovery;
  private final SynchronizationContext context;
  private Listener2 listener;

  private DiscoveryNameResolver(String peer, PeerDiscovery discovery, SynchronizationContext context) {
    this.peer = peer;
    this.discovery = discovery;
    this.context = context;
  }

  static String target(String peer) {
    return SCHEME + ":///" + peer;
  }

  @Override
  public String getServiceAuthority() {
    return peer;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    discovery.onChange(() -> context.execute(this::resolve));
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  private void resolve() {
    if (listener == null) {
      return;
    }
    HostPort address = discovery.addresses().get(peer);
    if (address == null) {
      listener.onError(Status.UNAVAILABLE.withDescription("no address of peer " + peer + " is known yet"));
      return;
    }
    InetSocketAddress socket = new InetSocketAddress(address.host(), address.port());
    if (socket.isUnresolved()) {
      listener.onError(Status.UNAVAILABLE.withDescription("peer " + peer + "'s host " + address.host()
          + " does not resolve"));
      return;
    }
    listener.onResult(ResolutionResult.newBuilder()
        .setAddresses(List.of(new EquivalentAddressGroup(socket)))
        .build());
  }

  @Override
  public void shutdown() {
    listener = null;
  }

  /** Makes a resolver per channel; one factory per transport, not a process-wide registration. */
  static final class Factory extends NameResolver.Factory {
    private final PeerDiscovery discovery;

    Factory(PeerDiscovery discovery) {
      this.discovery = discovery;
    }

    @Override
    public NameResolver newNameResolver(URI target, Args args) {
      if (!SCHEME.equals(target.getScheme())) {
        return null;
      }
      return new DiscoveryNameResolver(target.getPath().substring(1), discovery, args.getSynchronizationContext());
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }
  }
}
