package dev.chil.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiTest {
  private static final DevPki.Request REQUEST =
      new DevPki.Request("prod", List.of("node-1", "node-2", "node-3"), List.of("alice"), List.of("alice"), 30);
  @TempDir Path directory;

  @Test
  void writesACaAndOneCertificateAndKeyPerName() throws Exception {
    DevPki.generate(directory, REQUEST, Instant.now(), false);

    for (String name : List.of("ca", "node-1", "node-2", "node-3", "alice")) {
      assertThat(directory.resolve(name + ".crt")).isRegularFile();
      assertThat(Files.getPosixFilePermissions(directory.resolve(name + ".key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    ClusterTrust trust = ClusterTrust.load("prod", directory.resolve("ca.crt"));
    X509Certificate ca = trust.caCertificate();
    assertThat(ca.getBasicConstraints()).isZero(); // a CA, path length 0
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();

    Credentials node1 = Credentials.load(directory.resolve("node-1.crt"), directory.resolve("node-1.key"));
    assertThat(trust.verify(List.of(node1.certificate()), Instant.now())).isEqualTo(Identity.node("prod", "node-1"));
    assertThat(node1.certificate().getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(6, "spiffe://prod/node/node-1"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));

    Credentials alice = Credentials.load(directory.resolve("alice.crt"), directory.resolve("alice.key"));
    assertThat(alice.identity()).isEqualTo(Identity.client("prod", "alice"));
    assertThat(alice.certificate().getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://prod/client/alice"));

    // An admin may share a client's name: its files are admin-<name>.
    Credentials admin = Credentials.load(directory.resolve("admin-alice.crt"), directory.resolve("admin-alice.key"));
    assertThat(trust.verify(List.of(admin.certificate()), Instant.now())).isEqualTo(Identity.admin("prod", "alice"));
  }

  @Test
  void refusesToReplaceACaWithoutForce() throws Exception {
    DevPki.generate(directory, REQUEST, Instant.now(), false);
    byte[] before = Files.readAllBytes(directory.resolve("ca.crt"));

    assertThatThrownBy(() -> DevPki.generate(directory, REQUEST, Instant.now(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.crt exists")
        .hasMessageContaining("--force");
    assertThat(Files.readAllBytes(directory.resolve("ca.crt"))).isEqualTo(before);

    DevPki.generate(directory, REQUEST, Instant.now(), true);
    assertThat(Files.readAllBytes(directory.resolve("ca.crt"))).isNotEqualTo(before);
  }

  @Test
  void refusesBadNamesBeforeWritingAnything() {
    assertThatThrownBy(() -> new DevPki.Request("prod", List.of("node-1"), List.of("node-1"), 30))
        .hasMessageContaining("'node-1' is given twice");
    assertThatThrownBy(() -> new DevPki.Request("Prod!", List.of("node-1"), List.of(), 30))
        .hasMessageContaining("cluster name 'Prod!'");
    assertThatThrownBy(() -> new DevPki.Request("prod", List.of("a/b"), List.of(), 30))
        .hasMessageContaining("node name 'a/b'");
    assertThat(directory).isEmptyDirectory();
  }

  @Test
  void passesOpensslVerify() throws Exception {
    assumeThat(openssl()).as("openssl binary on PATH").isTrue();
    DevPki.generate(directory, REQUEST, Instant.now(), false);
    for (String name : List.of("node-1", "node-2", "node-3", "alice")) {
      Process verify = new ProcessBuilder("openssl", "verify", "-CAfile", "ca.crt", name + ".crt")
          .directory(directory.toFile()).redirectErrorStream(true).start();
      assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(verify.exitValue()).as(output).isZero();
      assertThat(output).contains(name + ".crt: OK");
    }
    // And openssl reads the key as the certificate's own.
    Process text = new ProcessBuilder("openssl", "x509", "-in", "node-1.crt", "-noout", "-ext", "subjectAltName")
        .directory(directory.toFile()).redirectErrorStream(true).start();
    assertThat(text.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(text.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("URI:spiffe://prod/node/node-1", "DNS:localhost", "IP Address:127.0.0.1");
    assertThat(PemFiles.readPrivateKey(directory.resolve("node-1.key")).getAlgorithm()).isIn("Ed25519", "EdDSA");
  }

  private static boolean openssl() {
    try {
      Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
