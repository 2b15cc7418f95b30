package dev.chil.node.cli;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.config.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLException;

/** A client's channel to one node over mutual TLS; shared by the client commands and the demo. */
final class ClientChannel {
  private ClientChannel() {}

  /** The client is the identity of {@code certFile}; only {@code caFile} is trusted, for that identity's cluster. */
  static ManagedChannel open(HostPort address, Path certFile, Path keyFile, Path caFile)
      throws CryptoFileException, SSLException {
    Credentials credentials = Credentials.load(certFile, keyFile);
    ClusterTrust trust = ClusterTrust.load(credentials.identity().cluster(), caFile);
    return NettyChannelBuilder.forAddress(address.host(), address.port())
        .sslContext(TlsContexts.client(credentials, trust, Clock.systemUTC()))
        .build();
  }

  /** A failed call in one line: the gRPC code and, when there is one, the server's reason. */
  static String describe(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return e.getStatus().getCode() + (description == null ? "" : ": " + description);
  }
}
