package dev.chil.node.core.common;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Verifier;
import java.util.Objects;
import java.util.Optional;

/**
 * A command as its client signed it. The signature covers {@link Command#canonicalBytes()} (key,
 * value digest, client identity, request id) under {@link #MESSAGE_TYPE}, and the signed bytes
 * carry the cluster (see {@link dev.chil.crypto.SignedBytes}): no replica can forge or alter a
 * request, nor replay one into another cluster. {@link Command#client()} is the client's SPIFFE id.
 */
public record ClientRequest(Command command, ByteString signature) {
  public static final String MESSAGE_TYPE = Command.SIGNED_REQUEST_TYPE;
  public static final int SIGNATURE_BYTES_MAX = 512;

  public ClientRequest {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(signature, "signature");
    if (signature.size() > SIGNATURE_BYTES_MAX) {
      throw new IllegalArgumentException("a request signature is at most " + SIGNATURE_BYTES_MAX + " bytes");
    }
  }

  public byte[] payload() {
    return command.canonicalBytes();
  }

  /** Empty when the request is signed by the client of this cluster it names; else what is wrong. */
  public Optional<String> problem(String cluster, Verifier verifier) {
    Identity client;
    try {
      client = Identity.parse(command.client());
    } catch (IllegalArgumentException e) {
      return Optional.of("request " + command.requestId() + " names no client identity: " + e.getMessage());
    }
    if (client.role() != Role.CLIENT || !client.cluster().equals(cluster)) {
      return Optional.of("request " + command.requestId() + " names '" + command.client()
          + "', not a client of cluster '" + cluster + "'");
    }
    try {
      verifier.verify(client, MESSAGE_TYPE, payload(), signature.toByteArray());
      return Optional.empty();
    } catch (SignatureVerificationException e) {
      return Optional.of("request " + command.requestId() + " of " + command.client() + " does not verify: "
          + e.getMessage());
    }
  }
}
