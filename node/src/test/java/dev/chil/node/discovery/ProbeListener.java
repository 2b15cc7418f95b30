package dev.chil.node.discovery;

import dev.chil.crypto.Credentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A loopback TLS listener that presents one certificate of the dev PKI and counts the handshakes
 * made with it: an address that answers as someone else, for tests of who may be a peer.
 */
public final class ProbeListener implements AutoCloseable {
  private final SSLServerSocket socket;
  private final AtomicInteger handshakes = new AtomicInteger();
  private final Thread acceptor;

  private ProbeListener(SSLServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::accept, "probe-listener");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Presents {@code <name>.crt} of the dev PKI in {@code pki}. */
  public static ProbeListener start(Path pki, String name) throws Exception {
    Credentials credentials = Credentials.load(pki.resolve(name + ".crt"), pki.resolve(name + ".key"));
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(new X509ExtendedKeyManager[] {new ServerKey(credentials)}, null, new SecureRandom());
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    return new ProbeListener(socket);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public int handshakes() {
    return handshakes.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try (SSLSocket client = (SSLSocket) socket.accept()) {
        client.setSoTimeout(5_000);
        client.startHandshake();
        handshakes.incrementAndGet();
      } catch (IOException e) {
        // The prober hung up on a certificate it refused, or the listener is closing.
        if (!socket.isClosed()) {
          handshakes.incrementAndGet();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class ServerKey extends X509ExtendedKeyManager {
    private final Credentials credentials;

    ServerKey(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return "server";
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "server";
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {"server"};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
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
