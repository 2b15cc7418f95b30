package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import java.util.SortedMap;

/**
 * Where the other members of the roster can be reached. Who the members are is fixed by the
 * roster (config and audit genesis); discovery only says where they are, so a wrong or hostile
 * answer can misdirect a connection but never admit a stranger: each dialled peer must still
 * present its own certificate.
 */
public interface PeerDiscovery {
  /** Each other member's address known now, by node name. */
  SortedMap<String, HostPort> addresses();

  /** Calls {@code listener} whenever {@link #addresses()} may have changed; never, for fixed addresses. */
  default void onChange(Runnable listener) {}
}
