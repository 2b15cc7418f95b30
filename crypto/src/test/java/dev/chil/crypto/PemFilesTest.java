package dev.chil.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  private static Credentials node1;
  private static Credentials node2;
  @TempDir Path directory;

  @BeforeAll
  static void makeKeys() throws Exception {
    CertificateAuthority authority = TestCertificates.authority("test CA");
    node1 = TestCertificates.credentials(authority, Identity.node("prod", "node-1"));
    node2 = TestCertificates.credentials(authority, Identity.node("prod", "node-2"));
  }

  @Test
  void roundTripsCredentialsWithAPrivateKeyFile() throws Exception {
    Path certificate = directory.resolve("node-1.crt");
    Path key = directory.resolve("node-1.key");
    PemFiles.writeCertificate(certificate, node1.certificate());
    PemFiles.writePrivateKey(key, node1.privateKey());

    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(certificate)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    Credentials loaded = Credentials.load(certificate, key);
    assertThat(loaded.identity()).isEqualTo(node1.identity());
    assertThat(loaded.certificate()).isEqualTo(node1.certificate());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = directory.resolve("nope.crt");
    assertThatThrownBy(() -> PemFiles.readCertificates(missing))
        .isInstanceOf(CryptoFileException.class)
        .hasMessage(missing + ": does not exist");
  }

  @Test
  void anEmptyFileIsNamed() throws Exception {
    Path empty = Files.createFile(directory.resolve("empty.crt"));
    assertThatThrownBy(() -> PemFiles.readCertificates(empty))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(empty + ": holds no PEM block");
  }

  @Test
  void garbageIsNamed() throws Exception {
    Path garbage = Files.writeString(directory.resolve("garbage.crt"),
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> PemFiles.readCertificates(garbage))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(garbage + ": ");
  }

  @Test
  void aCertificateWhereAKeyIsExpectedIsNamed() throws Exception {
    Path certificate = directory.resolve("node-1.crt");
    PemFiles.writeCertificate(certificate, node1.certificate());
    assertThatThrownBy(() -> PemFiles.readPrivateKey(certificate))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(certificate + ": holds a X509Certificate, not a private key");
  }

  @Test
  void aKeyOfAnotherAlgorithmIsNamed() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    Path key = directory.resolve("ec.key");
    PemFiles.writePrivateKey(key, generator.generateKeyPair().getPrivate());
    assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("expected Ed25519");
  }

  @Test
  void aKeyThatIsNotTheCertificatesNamesBothFiles() throws Exception {
    Path certificate = directory.resolve("node-1.crt");
    Path key = directory.resolve("node-2.key");
    PemFiles.writeCertificate(certificate, node1.certificate());
    PemFiles.writePrivateKey(key, node2.privateKey());
    assertThatThrownBy(() -> Credentials.load(certificate, key))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(key + ": is not the private key of the certificate in " + certificate);
  }

  @Test
  void aCaFileWithTwoCertificatesIsRefused() throws Exception {
    Path ca = directory.resolve("ca.crt");
    Files.writeString(ca, PemFiles.pem("CERTIFICATE", node1.certificate().getEncoded())
        + PemFiles.pem("CERTIFICATE", node2.certificate().getEncoded()));
    assertThatThrownBy(() -> ClusterTrust.load("prod", ca))
        .isInstanceOf(CryptoFileException.class)
        .hasMessage(ca + ": holds 2 certificates; expected exactly the cluster CA");
  }
}
