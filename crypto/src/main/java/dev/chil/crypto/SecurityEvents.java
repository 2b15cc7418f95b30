package dev.chil.crypto;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events as structured log lines on the {@code chil.security} logger, so that
 * operators can alert on them by the {@code event} field rather than by parsing prose.
 */
public final class SecurityEvents {
  private static final Logger LOG = LoggerFactory.getLogger("chil.security");

  private SecurityEvents() {}

  /** A TLS peer whose certificate chain or identity was refused. */
  public static void identityRejected(String side, String remote, String reason) {
    LOG.warn("rejected {} certificate from {}: {}",
        kv("side", side), kv("remote", remote), kv("reason", reason), kv("event", "identity_rejected"));
  }

  /** A call that reached a service without an authenticated identity, or with the wrong role. */
  public static void callRefused(String method, String remote, String reason) {
    LOG.warn("refused call {} from {}: {}",
        kv("method", method), kv("remote", remote), kv("reason", reason), kv("event", "call_refused"));
  }
}
