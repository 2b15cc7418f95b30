package dev.chil.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.util.Bytes;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/** Signs with the Ed25519 key of a certificate, through Tink. */
public final class TinkSigner implements Signer {
  private final Identity identity;
  private final PublicKeySign sign;

  private TinkSigner(Identity identity, PublicKeySign sign) {
    this.identity = identity;
    this.sign = sign;
  }

  /**
   * A signer for the certificate's identity.
   *
   * @throws GeneralSecurityException when the key is not Ed25519, or is not the certificate's
   */
  public static TinkSigner create(X509Certificate certificate, PrivateKey privateKey)
      throws GeneralSecurityException {
    Identity identity = CertificateIdentity.of(certificate);
    Ed25519PublicKey publicKey =
        Ed25519PublicKey.create(Bytes.copyFrom(Ed25519.rawPublicKey(certificate.getPublicKey())));
    byte[] seed = Ed25519.rawPrivateKey(privateKey);
    try {
      // Tink refuses a private key whose public half is not the certificate's.
      Ed25519PrivateKey key = Ed25519PrivateKey.create(
          publicKey, SecretBytes.copyFrom(seed, InsecureSecretKeyAccess.get()));
      return new TinkSigner(identity, Ed25519Sign.create(key));
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  @Override
  public Identity identity() {
    return identity;
  }

  @Override
  public byte[] sign(String messageType, byte[] payload) {
    try {
      return sign.sign(SignedBytes.of(identity.cluster(), messageType, payload));
    } catch (GeneralSecurityException e) {
      // Ed25519 signing cannot fail for a key that loaded; if it does, the process is broken.
      throw new IllegalStateException("signing failed for " + identity, e);
    }
  }

  @Override
  public String toString() {
    return "TinkSigner[" + identity + "]";
  }
}
