package dev.chil.node.cli;

import dev.chil.client.ChilClient;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.CryptoFileException;
import dev.chil.node.config.HostPort;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Option;

/** How a client command reaches a node: its address and the client's certificate, key and CA. */
final class ClientOptions {
  /** Pause between attempts while the node is unavailable. */
  static final long RETRY_PAUSE_MILLIS = 250;

  @Option(names = "--target", required = true, split = ",", paramLabel = "HOST:PORT",
      description = "The node to call: its client_address, or its bind_address if it has none. Several"
          + " (repeated or comma-separated): propose and read move on to the next while one is unavailable.")
  List<String> targets;

  @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The cluster CA certificate (PEM).")
  Path caFile;

  @Option(names = "--cert", required = true, paramLabel = "FILE", description = "This client's certificate (PEM).")
  Path certFile;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "This client's private key (PKCS#8 PEM).")
  Path keyFile;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for the answer: the node waits this long for a leader, and the call is"
          + " retried while the node is unavailable (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 15;

  @Option(names = "--insecure", description = "Plaintext, for a node run with --insecure-dev: the identity is claimed, not proven.")
  boolean insecure;

  /** The first target: the one node status and health ask. */
  String target() {
    return targets.get(0);
  }

  /** The client library on these targets, checking answers against the roster the CA vouches for. */
  ChilClient open() throws CryptoFileException, SSLException {
    Credentials credentials = Credentials.load(certFile, keyFile);
    for (String target : targets) {
      HostPort.parse(target); // a bad address is named here, before any call
    }
    return ChilClient.builder().targets(targets).credentials(credentials)
        .trust(ClusterTrust.load(credentials.identity().cluster(), caFile))
        .timeout(Duration.ofSeconds(timeoutSeconds)).insecure(insecure).build();
  }

  /**
   * Makes a call to the target over a fresh mutual-TLS channel and closes the channel. The node
   * itself waits for a leader within the call's deadline; while it answers UNAVAILABLE (it is
   * starting, stopping or unreachable) the call is repeated until the timeout: every call here is
   * safe to repeat, a proposal keeping its request id. Other codes mean a retry cannot help (see
   * client.proto). A failure becomes one line naming the call, the target and the cause.
   */
  <T> T call(String what, Function<ConsensusServiceGrpc.ConsensusServiceBlockingStub, T> call)
      throws CryptoFileException, SSLException, InterruptedException {
    String target = target();
    ManagedChannel channel = ClientChannel.open(HostPort.parse(target), certFile, keyFile, caFile, insecure);
    Deadline deadline = Deadline.after(timeoutSeconds, TimeUnit.SECONDS);
    try {
      while (true) {
        try {
          return call.apply(ConsensusServiceGrpc.newBlockingStub(channel).withDeadline(deadline));
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || deadline.timeRemaining(TimeUnit.MILLISECONDS) < RETRY_PAUSE_MILLIS) {
            throw new IllegalStateException(what + " to " + target + " failed: " + ClientChannel.describe(e), e);
          }
          Thread.sleep(RETRY_PAUSE_MILLIS);
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
