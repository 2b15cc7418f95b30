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

  /** A failed call in one line: the gRPC code, the server's reason and, if any, the local cause (e.g. TLS). */
  static String describe(StatusRuntimeException e) {
    StringBuilder message = new StringBuilder().append(e.getStatus().getCode());
    if (e.getStatus().getDescription() != null) {
      message.append(": ").append(e.getStatus().getDescription());
    }
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      message.append(" (").append(e.getCause().getMessage()).append(")");
    }
    return message.toString();
  }
}
