package dev.chil.audit.verify;

import dev.chil.crypto.pki.CertificateAuthority;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the dev PKI never issues, for the checks that refuse them: a leaf with another
 * key type, without digitalSignature, marked as a CA, without clientAuth, or a CA signed with
 * another algorithm. Built with BouncyCastle from the given CA's key; everything not asked for is
 * as {@link CertificateAuthority#issue} makes it.
 */
final class OddCertificates {
  /** What to build; the defaults are the dev PKI's leaf. */
  static final class Leaf {
    String spiffeId;
    Instant notBefore;
    Instant notAfter;
    String keyAlgorithm = "Ed25519";
    Integer keyUsage = KeyUsage.digitalSignature;
    boolean ca;
    KeyPurposeId[] purposes = {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth};

    Leaf(String spiffeId, Instant notBefore, Instant notAfter) {
      this.spiffeId = spiffeId;
      this.notBefore = notBefore;
      this.notAfter = notAfter;
    }
  }

  private OddCertificates() {}

  /** A certificate and its private key. */
  record Issued(X509Certificate certificate, PrivateKey privateKey) {}

  static X509Certificate issue(CertificateAuthority authority, Leaf leaf) throws Exception {
    return issueWithKey(authority, leaf).certificate();
  }

  static Issued issueWithKey(CertificateAuthority authority, Leaf leaf) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(leaf.keyAlgorithm);
    if (leaf.keyAlgorithm.equals("EC")) {
      generator.initialize(256);
    }
    KeyPair keys = generator.generateKeyPair();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(),
        BigInteger.valueOf(System.nanoTime()), Date.from(leaf.notBefore), Date.from(leaf.notAfter),
        new X500Name("CN=odd"), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, leaf.ca ? new BasicConstraints(0) : new BasicConstraints(false))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, leaf.spiffeId)));
    if (leaf.keyUsage != null) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(leaf.keyUsage));
    }
    if (leaf.purposes != null) {
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(leaf.purposes));
    }
    return new Issued(sign(builder, authority.privateKey(), "Ed25519"), keys.getPrivate());
  }

  /** A self-signed CA certificate of the given key pair, signed with {@code signatureAlgorithm}. */
  static X509Certificate selfSignedCa(KeyPair keys, String signatureAlgorithm, Instant notBefore, Instant notAfter)
      throws Exception {
    return selfSignedCa(keys, signatureAlgorithm, notBefore, notAfter, KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  static X509Certificate selfSignedCa(KeyPair keys, String signatureAlgorithm, Instant notBefore, Instant notAfter,
      int keyUsage) throws Exception {
    X500Name name = new X500Name("CN=odd CA");
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
        Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    return sign(builder, keys.getPrivate(), signatureAlgorithm);
  }

  /** A leaf for {@code publicKey} issued by {@code ca} (its key {@code caKey}) with the given algorithm. */
  static X509Certificate leafOf(X509Certificate ca, PrivateKey caKey, String signatureAlgorithm, PublicKey publicKey,
      String spiffeId, Instant notBefore, Instant notAfter) throws Exception {
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(System.nanoTime()),
        Date.from(notBefore), Date.from(notAfter), new X500Name("CN=odd"), publicKey)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
    return sign(builder, caKey, signatureAlgorithm);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm)
      throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
  }
}
