package dev.chil.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An address's identity is what its certificate proves to the cluster CA, and nothing else. */
class CertificateProbeTest {
  @TempDir Path directory;

  @Test
  void namesTheNodeOfAValidCertificateAndRefusesEverythingElse() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("test", List.of("node-1", "node-2"),
        List.of("alice"), 1), Instant.now(), false);
    DevPki.generate(directory.resolve("foreign"), new DevPki.Request("test", List.of("node-2"), List.of(), 1),
        Instant.now(), false);
    DevPki.generate(directory.resolve("other"), new DevPki.Request("other", List.of("node-2"), List.of(), 1),
        Instant.now(), false);
    CertificateProbe probe = new CertificateProbe(
        Credentials.load(directory.resolve("pki/node-1.crt"), directory.resolve("pki/node-1.key")),
        ClusterTrust.load("test", directory.resolve("pki/ca.crt")), Clock.systemUTC());

    try (ProbeListener member = ProbeListener.start(directory.resolve("pki"), "node-2")) {
      assertThat(probe.probe(address(member)).identity()).isEqualTo(Identity.node("test", "node-2"));
    }
    try (ProbeListener foreign = ProbeListener.start(directory.resolve("foreign"), "node-2")) {
      assertThatThrownBy(() -> probe.probe(address(foreign))).isInstanceOf(CertificateRejectedException.class);
    }
    try (ProbeListener client = ProbeListener.start(directory.resolve("pki"), "alice")) {
      assertThatThrownBy(() -> probe.probe(address(client))).isInstanceOf(CertificateRejectedException.class)
          .hasMessageContaining("is not a node");
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThatThrownBy(() -> probe.probe(new HostPort("127.0.0.1", closed))).isInstanceOf(IOException.class)
        .isNotInstanceOf(CertificateRejectedException.class);
  }

  private static HostPort address(ProbeListener listener) {
    return new HostPort("127.0.0.1", listener.port());
  }
}
