package dev.chil.node.cli;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.tls.ClaimedIdentity;
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
  static final int DESCRIPTION_CHARS_MAX = 160;

  private ClientChannel() {}

  /** The client is the identity of {@code certFile}; only {@code caFile} is trusted, for that identity's cluster. */
  static ManagedChannel open(HostPort address, Path certFile, Path keyFile, Path caFile)
      throws CryptoFileException, SSLException {
    return open(address, certFile, keyFile, caFile, false);
  }

  /**
   * With {@code insecure} (a node run with --insecure-dev), the channel is plaintext and the
   * certificate's identity is only claimed in a header: nothing is encrypted or proven.
   */
  static ManagedChannel open(HostPort address, Path certFile, Path keyFile, Path caFile, boolean insecure)
      throws CryptoFileException, SSLException {
    Credentials credentials = Credentials.load(certFile, keyFile);
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host(), address.port());
    if (insecure) {
      return builder.usePlaintext().intercept(ClaimedIdentity.claiming(credentials.identity())).build();
    }
    ClusterTrust trust = ClusterTrust.load(credentials.identity().cluster(), caFile);
    return builder.sslContext(TlsContexts.client(credentials, trust, Clock.systemUTC())).build();
  }

  /** A failed call in one line: the gRPC code, the server's reason and, if any, the local cause (e.g. TLS). */
  static String describe(StatusRuntimeException e) {
    StringBuilder message = new StringBuilder().append(e.getStatus().getCode());
    if (e.getStatus().getDescription() != null) {
      message.append(": ").append(firstLine(e.getStatus().getDescription()));
    }
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      message.append(" (").append(firstLine(e.getCause().getMessage())).append(")");
    }
    return message.toString();
  }

  /** Netty's messages carry pipelines and hex dumps on later lines and past the point; a user needs the start. */
  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("").strip();
    int colonHex = line.indexOf(": 0000");
    if (colonHex > 0) {
      line = line.substring(0, colonHex);
    }
    return line.length() <= DESCRIPTION_CHARS_MAX ? line : line.substring(0, DESCRIPTION_CHARS_MAX) + "…";
  }
}
