package dev.chil.node.discovery;

import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Asks an address who it is: one mutual-TLS handshake (TLS 1.3, this node's certificate, only the
 * cluster CA trusted), then the identity its certificate names. Addresses come from config or DNS;
 * identities only ever from here, so an address cannot claim to be anyone it has no key for.
 */
public final class CertificateProbe {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  private final Credentials credentials;
  private final ClusterTrust trust;
  private final Clock clock;

  public CertificateProbe(Credentials credentials, ClusterTrust trust, Clock clock) {
    this.credentials = credentials;
    this.trust = trust;
    this.clock = clock;
  }

  /** What an address presented: a node of this cluster, with the certificate that proves it. */
  public record Presented(Identity identity, X509Certificate certificate) {}

  /**
   * @throws CertificateRejectedException if the address presents a certificate that is not a
   *     valid node certificate of this cluster
   * @throws IOException if it cannot be reached or the handshake fails otherwise
   */
  public Presented probe(HostPort address) throws IOException, CertificateRejectedException {
    AtomicReference<Presented> presented = new AtomicReference<>();
    AtomicReference<CertificateRejectedException> refused = new AtomicReference<>();
    SSLContext context = context(presented, refused);
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address.host(), address.port()), (int) CONNECT_TIMEOUT.toMillis());
      plain.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
          .createSocket(plain, address.host(), address.port(), false)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
      } catch (IOException e) {
        if (refused.get() != null) {
          throw refused.get();
        }
        throw e;
      }
    }
    if (presented.get() == null) {
      throw new IOException(address + " completed a handshake without a certificate");
    }
    return presented.get();
  }

  private SSLContext context(AtomicReference<Presented> presented, AtomicReference<CertificateRejectedException> refused)
      throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(new X509ExtendedKeyManager[] {new OwnKey(credentials)},
          new X509ExtendedTrustManager[] {new Recorder(presented, refused)}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS 1.3 is not available: " + e.getMessage(), e);
    }
  }

  private Presented check(X509Certificate[] chain) throws CertificateRejectedException {
    Identity identity = trust.verify(List.of(chain), clock.instant());
    if (identity.role() != Role.NODE) {
      throw new CertificateRejectedException(identity + " is not a node");
    }
    return new Presented(identity, chain[0]);
  }

  /** Accepts exactly what {@link ClusterTrust} accepts, and keeps what it saw. */
  private final class Recorder extends X509ExtendedTrustManager {
    private final AtomicReference<Presented> presented;
    private final AtomicReference<CertificateRejectedException> refused;

    Recorder(AtomicReference<Presented> presented, AtomicReference<CertificateRejectedException> refused) {
      this.presented = presented;
      this.refused = refused;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        presented.set(check(chain));
      } catch (CertificateRejectedException e) {
        refused.set(e);
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a probe is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[] {trust.caCertificate()};
    }
  }

  /** This node's one certificate and key, whatever the server asks for. */
  private static final class OwnKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "node";
    private final Credentials credentials;

    OwnKey(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {credentials.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return credentials.privateKey();
    }
  }
}
