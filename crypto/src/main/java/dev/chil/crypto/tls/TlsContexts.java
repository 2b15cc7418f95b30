package dev.chil.crypto.tls;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for gRPC over Netty: TLS 1.3 only, client certificates required, and only the
 * cluster CA trusted, on both ends of every connection.
 *
 * <p>The TLS engine is the JDK's (SunJSSE), not the BoringSSL that grpc-netty-shaded carries:
 * Netty's BoringSSL glue chooses key material by RSA/EC key type only and aborts a handshake with
 * an Ed25519 certificate with an internal-error alert (seen with grpc 1.85.1). The JDK signs and
 * verifies Ed25519 in TLS 1.3 natively. Connections between nodes are long-lived streams, so the
 * handshake cost is paid rarely.
 */
public final class TlsContexts {
  static final String TLS_1_3 = "TLSv1.3";

  private TlsContexts() {}

  /**
   * For a node's server: accepts nodes and clients of the cluster; which role may call which
   * service is the {@link AuthenticatedIdentityInterceptor}'s business.
   */
  public static SslContext server(Credentials credentials, ClusterTrust trust, Clock clock)
      throws SSLException {
    return GrpcSslContexts.configure(
            SslContextBuilder.forServer(credentials.privateKey(), credentials.certificate()), SslProvider.JDK)
        .trustManager(new ClusterTrustManager(trust, clock, Set.of(Role.NODE, Role.CLIENT), Optional.empty(), "server"))
        .clientAuth(ClientAuth.REQUIRE)
        .protocols(TLS_1_3)
        .build();
  }

  /** For a client calling any node: the server must present a node certificate of the cluster. */
  public static SslContext client(Credentials credentials, ClusterTrust trust, Clock clock)
      throws SSLException {
    return client(credentials, trust, clock, Optional.empty());
  }

  /** For a node calling a peer: the server must present exactly that peer's certificate. */
  public static SslContext peer(Credentials credentials, ClusterTrust trust, Clock clock, Identity peer)
      throws SSLException {
    if (peer.role() != Role.NODE) {
      throw new IllegalArgumentException(peer + " is not a node");
    }
    return client(credentials, trust, clock, Optional.of(peer));
  }

  private static SslContext client(Credentials credentials, ClusterTrust trust, Clock clock, Optional<Identity> expected)
      throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(credentials.privateKey(), credentials.certificate())
        .trustManager(new ClusterTrustManager(trust, clock, Set.of(Role.NODE), expected, "client"))
        .protocols(TLS_1_3)
        .build();
  }
}
