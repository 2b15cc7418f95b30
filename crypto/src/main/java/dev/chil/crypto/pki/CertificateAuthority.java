package dev.chil.crypto.pki;

import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority held in memory, with BouncyCastle: the dev PKI's CA, and the tests'
 * source of good and deliberately bad certificates. All keys are Ed25519.
 */
public final class CertificateAuthority {
  private static final String ALGORITHM = "Ed25519";
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final SecureRandom random;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, SecureRandom random) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.random = random;
  }

  /** A new self-signed CA that may sign end-entity certificates only (path length 0). */
  public static CertificateAuthority create(String commonName, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    KeyPair keys = newKeyPair(random);
    X500Name name = name(commonName);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
              name, serial(random), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), random);
    } catch (CertIOException e) {
      throw new GeneralSecurityException("CA certificate cannot be built", e);
    }
  }

  /** A CA whose certificate and key were made earlier, to issue more certificates. */
  public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
    return new CertificateAuthority(certificate, privateKey, new SecureRandom());
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Issues an end-entity certificate for a fresh key pair. */
  public IssuedCertificate issue(LeafRequest request) throws GeneralSecurityException {
    KeyPair keys = newKeyPair(random);
    List<GeneralName> names = new ArrayList<>();
    request.uris().forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
    request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    List<KeyPurposeId> purposes = new ArrayList<>(List.of(KeyPurposeId.id_kp_clientAuth));
    if (request.serverAuth()) {
      purposes.add(KeyPurposeId.id_kp_serverAuth);
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
              certificate, serial(random), Date.from(request.notBefore()), Date.from(request.notAfter()),
              name(request.commonName()), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(certificate));
      if (!names.isEmpty()) {
        // RFC 5280: critical when the subject is empty; ours always has a CN, so not critical.
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate());
    } catch (CertIOException e) {
      throw new GeneralSecurityException("certificate cannot be built", e);
    }
  }

  /** Issues the cluster's usual certificate for an identity, as ready-to-use credentials. */
  public Credentials issue(Identity identity, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    IssuedCertificate issued = issue(LeafRequest.forIdentity(identity, notBefore, notAfter));
    return Credentials.of(issued.certificate(), issued.privateKey());
  }

  private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
    generator.initialize(255, random);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(ALGORITHM).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("certificate cannot be signed", e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serial(SecureRandom random) {
    // 127 random bits: positive, unique in practice, as CAs are asked to do (CA/B BR 7.1).
    return new BigInteger(127, random);
  }
}
