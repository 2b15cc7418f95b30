package dev.chil.node.cli;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import java.security.cert.CertificateEncodingException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chil propose}: proposes a value for a key and prints the decision as JSON. */
@Command(
    name = "propose",
    mixinStandardHelpOptions = true,
    description = {"Propose VALUE for KEY and wait until it is decided.",
        "Prints the result as JSON and exits 0 only if the value took effect: under first-wins,",
        "a key that already has a decided value answers success=false with the standing value",
        "(exit 1). Retrying with the same --request-id is applied at most once.",
        "The request is signed with --key (a pbft cluster takes only requests their client signed)."})
final class ProposeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--request-id", paramLabel = "ID", description = "Reuse an id to retry safely (default: a new UUID).")
  String requestId = UUID.randomUUID().toString();

  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE")
  String value;

  @Override
  public Integer call() throws Exception {
    ProposeRequest request = signed(Credentials.load(client.certFile, client.keyFile), key,
        ByteString.copyFromUtf8(value), requestId);
    ProposeResponse response = client.call("propose", stub -> stub.propose(request));
    spec.commandLine().getOut().println(Json.write(Json.propose(key, requestId, response)));
    return response.getSuccess() ? 0 : Main.EXIT_FAILURE;
  }

  /**
   * A proposal signed by the client, as a pbft cluster requires (a paxos one ignores the
   * signature): over the command's canonical bytes under {@link ClientRequest#MESSAGE_TYPE}, the
   * client named by its own certificate, which goes along so that every node can check it.
   */
  static ProposeRequest signed(Credentials credentials, String key, ByteString value, String requestId) {
    dev.chil.audit.chain.Command command = new dev.chil.audit.chain.Command(key, value,
        credentials.identity().spiffeId(), requestId);
    byte[] signature = credentials.signer().sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes());
    try {
      return ProposeRequest.newBuilder().setKey(key).setValue(value).setRequestId(requestId)
          .setSignature(ByteString.copyFrom(signature))
          .setClientCertificate(ByteString.copyFrom(credentials.certificate().getEncoded()))
          .build();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the client certificate cannot be encoded: " + e.getMessage(), e);
    }
  }
}
