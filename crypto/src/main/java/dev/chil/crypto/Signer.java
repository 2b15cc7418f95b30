package dev.chil.crypto;

/**
 * Signs messages as one identity. Signatures cover {@link SignedBytes}: the domain tag, the
 * signer's cluster and the message type come before the payload.
 */
public interface Signer {

  /** Whose key this is; the cluster in the signed bytes is this identity's cluster. */
  Identity identity();

  byte[] sign(String messageType, byte[] payload);
}
