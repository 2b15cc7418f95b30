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

  /**
   * A message from an authenticated peer that was dropped at the trust boundary: a sender that
   * is not the TLS identity, a bad signature, a malformed message. {@code suppressed} counts the
   * like events not logged since the last one, when the caller rate-limits.
   */
  public static void messageRejected(String peer, String reason, String detail, long suppressed) {
    LOG.warn("rejected message from {}: {} ({})",
        kv("peer", peer), kv("reason", reason), kv("detail", detail), kv("suppressed", suppressed),
        kv("event", "message_rejected"));
  }

  /** A call that reached a service without an authenticated identity, or with the wrong role. */
  public static void callRefused(String method, String remote, String reason) {
    LOG.warn("refused call {} from {}: {}",
        kv("method", method), kv("remote", remote), kv("reason", reason), kv("event", "call_refused"));
  }

  /** A roster file that no admin of the cluster authorized, or whose quorum rule is unsound: the node does not start. */
  public static void rosterRejected(String file, String problem, String reason) {
    LOG.error("refused roster {}: {} ({})",
        kv("file", file), kv("problem", problem), kv("reason", reason), kv("event", "roster_rejected"));
  }

  /** A client request refused because it is unsigned, or its signature or certificate does not check. */
  public static void requestRefused(String client, String requestId, String reason) {
    LOG.warn("refused request {} of {}: {}",
        kv("request_id", requestId), kv("client", client), kv("reason", reason), kv("event", "request_refused"));
  }

  /**
   * Proof that a peer signed two conflicting messages of one type for one position: kept as
   * evidence beside the audit log, which anyone with the CA certificate can check.
   */
  public static void equivocation(String peer, String messageType, long view, long sequence, long total) {
    LOG.error("peer {} equivocated: two signed {} messages for view {}, sequence {} (evidence {} kept)",
        kv("peer", peer), kv("message_type", messageType), kv("view", view), kv("sequence", sequence),
        kv("evidence_total", total), kv("event", "equivocation"));
  }
}
