package dev.chil.node.transport;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.proto.v1.PeerEnvelope;
import java.util.Set;

/**
 * Seals outbound peer messages and opens inbound ones at the trust boundary. Opening checks, in
 * order: the TLS identity is a roster node of this cluster; the envelope's sender is that node;
 * the signature verifies over the cluster, the message type and the payload. Stateless and
 * thread-safe: it runs on gRPC threads, in parallel, so that the driver thread never verifies.
 */
public final class EnvelopeAuthenticator {
  private final Signer signer;
  private final Verifier verifier;
  private final String cluster;
  private final Set<String> roster;

  /**
   * @param signer this node's signer
   * @param verifier knows the key of every roster node
   * @param roster the node names of the cluster's members
   */
  public EnvelopeAuthenticator(Signer signer, Verifier verifier, Set<String> roster) {
    this.signer = signer;
    this.verifier = verifier;
    this.cluster = signer.identity().cluster();
    this.roster = Set.copyOf(roster);
  }

  public PeerEnvelope seal(String messageType, ByteString payload) {
    return PeerEnvelope.newBuilder()
        .setSender(signer.identity().name())
        .setMessageType(messageType)
        .setPayload(payload)
        .setSignature(ByteString.copyFrom(signer.sign(messageType, payload.toByteArray())))
        .build();
  }

  AuthenticatedMessage open(Identity tlsIdentity, PeerEnvelope envelope) throws EnvelopeRejectedException {
    if (tlsIdentity.role() != Role.NODE || !tlsIdentity.cluster().equals(cluster)
        || !roster.contains(tlsIdentity.name())) {
      throw new EnvelopeRejectedException(EnvelopeRejection.NOT_IN_ROSTER,
          tlsIdentity + " is not a member of the roster");
    }
    if (!envelope.getSender().equals(tlsIdentity.name())) {
      throw new EnvelopeRejectedException(EnvelopeRejection.SENDER_MISMATCH,
          "envelope claims sender '" + envelope.getSender() + "' but arrived over the TLS identity " + tlsIdentity);
    }
    try {
      verifier.verify(tlsIdentity, envelope.getMessageType(), envelope.getPayload().toByteArray(),
          envelope.getSignature().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new EnvelopeRejectedException(EnvelopeRejection.MALFORMED, "from " + tlsIdentity + ": " + e.getMessage());
    } catch (SignatureVerificationException e) {
      throw new EnvelopeRejectedException(EnvelopeRejection.BAD_SIGNATURE, e.getMessage());
    }
    return new AuthenticatedMessage(tlsIdentity.name(), envelope.getMessageType(), envelope.getPayload());
  }
}
