package dev.chil.crypto;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate and its private key: what a node or client presents in TLS and signs with.
 * The key never appears in {@link #toString()}.
 */
public final class Credentials {
  private final Identity identity;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final TinkSigner signer;

  private Credentials(X509Certificate certificate, PrivateKey privateKey)
      throws GeneralSecurityException {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.signer = TinkSigner.create(certificate, privateKey);
    this.identity = signer.identity();
  }

  /**
   * @throws GeneralSecurityException when the key is not the certificate's, is not Ed25519, or
   *     the certificate names no single SPIFFE identity
   */
  public static Credentials of(X509Certificate certificate, PrivateKey privateKey)
      throws GeneralSecurityException {
    return new Credentials(certificate, privateKey);
  }

  /**
   * Loads a PEM certificate (the first one in the file is this holder's) and its PKCS#8 key.
   *
   * @throws CryptoFileException naming the file and the problem
   */
  public static Credentials load(Path certificateFile, Path keyFile) throws CryptoFileException {
    List<X509Certificate> certificates = PemFiles.readCertificates(certificateFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    try {
      CertificateIdentity.of(certificates.get(0));
    } catch (CertificateRejectedException e) {
      throw new CryptoFileException(certificateFile, e.getMessage(), e);
    }
    try {
      return new Credentials(certificates.get(0), key);
    } catch (GeneralSecurityException e) {
      throw new CryptoFileException(keyFile,
          "is not the private key of the certificate in " + certificateFile + " (" + e.getMessage() + ")", e);
    }
  }

  public Identity identity() {
    return identity;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The private key, for the TLS context; nothing else should need it. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  public Signer signer() {
    return signer;
  }

  @Override
  public String toString() {
    return "Credentials[" + identity + ", key=<redacted>]";
  }
}
