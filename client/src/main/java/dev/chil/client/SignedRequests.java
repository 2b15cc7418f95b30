package dev.chil.client;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Credentials;
import dev.chil.proto.v1.ProposeRequest;
import java.security.cert.CertificateEncodingException;

/**
 * A proposal as a pbft cluster takes it (a paxos one ignores the signature): the command's
 * canonical bytes signed with the client's key under {@link Command#SIGNED_REQUEST_TYPE}, the
 * client named by its own certificate, which goes along so that every replica can check it.
 */
public final class SignedRequests {
  private SignedRequests() {}

  public static ProposeRequest of(Credentials credentials, String key, ByteString value, String requestId) {
    return of(credentials, new Command(key, value, credentials.identity().spiffeId(), requestId));
  }

  static ProposeRequest of(Credentials credentials, Command command) {
    byte[] signature = credentials.signer().sign(Command.SIGNED_REQUEST_TYPE, command.canonicalBytes());
    try {
      return ProposeRequest.newBuilder().setKey(command.key()).setValue(command.value())
          .setRequestId(command.requestId()).setSignature(ByteString.copyFrom(signature))
          .setClientCertificate(ByteString.copyFrom(credentials.certificate().getEncoded())).build();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the client certificate cannot be encoded: " + e.getMessage(), e);
    }
  }
}
