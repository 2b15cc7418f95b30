package dev.chil.node.cli;

import dev.chil.crypto.CryptoFileException;
import dev.chil.node.config.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Option;

/** How a client command reaches a node: its address and the client's certificate, key and CA. */
final class ClientOptions {
  @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "The node to call.")
  String target;

  @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The cluster CA certificate (PEM).")
  Path caFile;

  @Option(names = "--cert", required = true, paramLabel = "FILE", description = "This client's certificate (PEM).")
  Path certFile;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "This client's private key (PKCS#8 PEM).")
  Path keyFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 15;

  /** One line saying why a call failed: the gRPC status, its description and, if any, the cause. */
  IllegalStateException failure(String call, StatusRuntimeException e) {
    return new IllegalStateException(call + " to " + target + " failed: " + ClientChannel.describe(e), e);
  }

  /** A channel to the target over mutual TLS, as the client of this certificate's cluster. */
  ManagedChannel channel() throws CryptoFileException, SSLException {
    return ClientChannel.open(HostPort.parse(target), certFile, keyFile, caFile);
  }
}
