package dev.chil.crypto;

import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.subtle.Ed25519Verify;
import com.google.crypto.tink.util.Bytes;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.HashMap;

/**
 * Verifies Ed25519 signatures of a fixed set of identities, one per certificate, through Tink.
 * It trusts the certificates it is given: check them with {@link ClusterTrust} first.
 * Immutable and safe to share between threads.
 */
public final class TinkVerifier implements Verifier {
  private final String cluster;
  private final Map<Identity, PublicKeyVerify> keys;

  private TinkVerifier(String cluster, Map<Identity, PublicKeyVerify> keys) {
    this.cluster = cluster;
    this.keys = keys;
  }

  /**
   * @throws GeneralSecurityException when a certificate names another cluster, names an identity
   *     twice, or does not hold an Ed25519 key
   */
  public static TinkVerifier forCertificates(String cluster, Collection<X509Certificate> certificates)
      throws GeneralSecurityException {
    Map<Identity, PublicKeyVerify> keys = new HashMap<>();
    for (X509Certificate certificate : certificates) {
      Identity identity = CertificateIdentity.of(certificate);
      if (!identity.cluster().equals(cluster)) {
        throw new GeneralSecurityException(identity + " is not of cluster '" + cluster + "'");
      }
      PublicKeyVerify verify = Ed25519Verify.create(
          Ed25519PublicKey.create(Bytes.copyFrom(Ed25519.rawPublicKey(certificate.getPublicKey()))));
      if (keys.putIfAbsent(identity, verify) != null) {
        throw new GeneralSecurityException(identity + " has more than one certificate");
      }
    }
    return new TinkVerifier(cluster, Map.copyOf(keys));
  }

  @Override
  public void verify(Identity signer, String messageType, byte[] payload, byte[] signature)
      throws SignatureVerificationException {
    PublicKeyVerify verify = keys.get(signer);
    if (verify == null) {
      throw new SignatureVerificationException("unknown signer " + signer);
    }
    try {
      verify.verify(signature, SignedBytes.of(cluster, messageType, payload));
    } catch (GeneralSecurityException e) {
      throw new SignatureVerificationException(
          "signature of " + signer + " on a " + messageType + " message does not verify");
    }
  }
}
