package dev.chil.node.discovery;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Discovery's security events, as structured lines on the {@code chil.security} logger. */
final class DiscoveryEvents {
  private static final Logger LOG = LoggerFactory.getLogger("chil.security");

  private DiscoveryEvents() {}

  /** An address that answered with an identity that may not have it (a stranger, a foreign cluster). */
  static void addressRefused(String address, String source, String reason) {
    LOG.warn("refused address {} from {}: {}", kv("address", address), kv("source", source), kv("reason", reason),
        kv("event", "peer_address_refused"));
  }
}
