package dev.chil.crypto.tls;

import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.SecurityEvents;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a TLS peer only if its chain leads to the cluster CA, is valid now, and names one
 * SPIFFE identity of this cluster in one of the accepted roles. It fails closed: anything it
 * cannot check is refused, and every refusal is logged as a security event.
 *
 * <p>Hostnames are not checked: identity is the SPIFFE id, which the certificate binds to the
 * key, not the address a peer was reached at.
 */
final class ClusterTrustManager extends X509ExtendedTrustManager {
  private final ClusterTrust trust;
  private final Clock clock;
  private final Set<Role> acceptedRoles;
  private final Optional<Identity> expected;
  private final String side;

  /** @param expected when present, the one identity accepted (a client dialling a known peer) */
  ClusterTrustManager(ClusterTrust trust, Clock clock, Set<Role> acceptedRoles, Optional<Identity> expected, String side) {
    this.trust = trust;
    this.clock = clock;
    this.acceptedRoles = EnumSet.copyOf(acceptedRoles);
    this.expected = expected;
    this.side = side;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateRejectedException {
    check(chain, remote(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateRejectedException {
    check(chain, remote(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateRejectedException {
    check(chain, String.valueOf(socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateRejectedException {
    check(chain, String.valueOf(socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateRejectedException {
    check(chain, "unknown");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateRejectedException {
    check(chain, "unknown");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {trust.caCertificate()};
  }

  private void check(X509Certificate[] chain, String remote) throws CertificateRejectedException {
    try {
      Identity identity = trust.verify(chain == null ? null : Arrays.asList(chain), clock.instant());
      if (!acceptedRoles.contains(identity.role())) {
        throw new CertificateRejectedException(
            identity + " has role " + identity.role().pathSegment() + "; a " + side
                + " accepts only " + acceptedRoles);
      }
      if (expected.isPresent() && !expected.get().equals(identity)) {
        throw new CertificateRejectedException(
            "expected " + expected.get() + " at this address, but the certificate names " + identity);
      }
    } catch (CertificateRejectedException e) {
      SecurityEvents.identityRejected(side, remote, e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      // Fail closed on anything unexpected while checking.
      SecurityEvents.identityRejected(side, remote, "certificate could not be checked: " + e);
      throw new CertificateRejectedException("certificate could not be checked", e);
    }
  }

  private static String remote(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null
        ? "unknown"
        : engine.getPeerHost() + ":" + engine.getPeerPort();
  }
}
