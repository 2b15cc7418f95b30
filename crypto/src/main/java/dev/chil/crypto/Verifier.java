package dev.chil.crypto;

/**
 * Checks signatures made by a known set of identities. There is no boolean to forget: a
 * signature that does not verify throws.
 */
public interface Verifier {

  /**
   * @throws SignatureVerificationException when the signer is unknown to this verifier or the
   *     signature does not cover exactly these bytes under this cluster and message type
   */
  void verify(Identity signer, String messageType, byte[] payload, byte[] signature)
      throws SignatureVerificationException;
}
