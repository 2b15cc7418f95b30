package dev.chil.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.config.HostPort;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Addresses become members only by the certificates they present: a member moves, a stranger, a
 * foreign CA's node and this node itself are never taken, an address the config gives another
 * weight than the signed roster gives its member is refused, and nothing adds a member.
 */
class IdentifiedDiscoveryTest {
  /** The signed roster's members and weights. */
  private static final SortedMap<String, Integer> ROSTER = new TreeMap<>(Map.of("node-1", 1, "node-2", 1, "node-3", 2));

  @TempDir Path directory;
  private CertificateProbe probe;
  private final List<HostPort> answer = new ArrayList<>();

  @BeforeEach
  void pki() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("test", List.of("node-1", "node-2", "node-3",
        "node-4"), List.of("alice"), 1), Instant.now(), false);
    // Same cluster name, another CA: its certificates name members, but nobody trusts it.
    DevPki.generate(directory.resolve("foreign"), new DevPki.Request("test", List.of("node-2"), List.of(), 1),
        Instant.now(), false);
    Credentials self = Credentials.load(directory.resolve("pki/node-1.crt"), directory.resolve("pki/node-1.key"));
    probe = new CertificateProbe(self, ClusterTrust.load("test", directory.resolve("pki/ca.crt")), Clock.systemUTC());
  }

  @Test
  void aMemberIsBoundWhereItsCertificateIsAndStrangersAreNot() throws Exception {
    try (ProbeListener member = ProbeListener.start(directory.resolve("pki"), "node-2");
        ProbeListener stranger = ProbeListener.start(directory.resolve("pki"), "node-4");
        ProbeListener foreign = ProbeListener.start(directory.resolve("foreign"), "node-2");
        ProbeListener client = ProbeListener.start(directory.resolve("pki"), "alice");
        ProbeListener itself = ProbeListener.start(directory.resolve("pki"), "node-1");
        IdentifiedDiscovery discovery = discovery()) {
      answer.addAll(List.of(address(stranger), address(foreign), address(client), address(itself), address(member)));
      List<Integer> changes = new ArrayList<>();
      discovery.onChange(() -> changes.add(1));

      discovery.refreshNow();

      assertThat(discovery.addresses()).containsExactly(Map.entry("node-2", address(member)));
      assertThat(discovery.unknown()).containsExactly("node-3");
      assertThat(changes).hasSize(1);
      // A listener counts on its own thread once its side of the handshake ends, which can be after the probe's.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(List.of(stranger, foreign, client, itself)).allSatisfy(listener ->
              assertThat(listener.handshakes()).as("every address was asked").isPositive()));
    }
  }

  @Test
  void aChangedAnswerMovesAMemberOnlyOnceItsNewAddressProvesIt() throws Exception {
    try (ProbeListener before = ProbeListener.start(directory.resolve("pki"), "node-3");
        ProbeListener after = ProbeListener.start(directory.resolve("pki"), "node-3");
        ProbeListener impostor = ProbeListener.start(directory.resolve("pki"), "node-4");
        IdentifiedDiscovery discovery = discovery()) {
      answer.add(address(before));
      discovery.refreshNow();
      answer.clear();
      answer.add(address(impostor));
      discovery.refreshNow();
      assertThat(discovery.addresses()).containsExactly(Map.entry("node-3", address(before)));

      answer.add(address(after));
      discovery.refreshNow();
      assertThat(discovery.addresses()).containsExactly(Map.entry("node-3", address(after)));
    }
  }

  @Test
  void onlyAnotherMemberCanBeBoundByHand() {
    try (IdentifiedDiscovery discovery = discovery()) {
      assertThatThrownBy(() -> discovery.bind("node-4", new HostPort("127.0.0.1", 7004)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node-4 is not another member");
      assertThatThrownBy(() -> discovery.bind("node-1", new HostPort("127.0.0.1", 7001)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aConfigAddressWhoseWeightIsNotTheSignedOneIsRefused() throws Exception {
    try (ProbeListener two = ProbeListener.start(directory.resolve("pki"), "node-2");
        ProbeListener three = ProbeListener.start(directory.resolve("pki"), "node-3");
        IdentifiedDiscovery discovery = IdentifiedDiscovery.fromAddresses("node-1", ROSTER,
            Map.of(address(two), 1, address(three), 1), probe, Duration.ofSeconds(30))) {
      discovery.refreshNow();

      assertThat(discovery.addresses()).as("node-3 has weight 2 in the signed roster; the config says 1")
          .containsExactly(Map.entry("node-2", address(two)));
      await().atMost(Duration.ofSeconds(30)).until(() -> three.handshakes() > 0);
    }
  }

  private IdentifiedDiscovery discovery() {
    return new IdentifiedDiscovery("node-1", ROSTER, new AddressSource() {
      @Override
      public List<HostPort> addresses() {
        return List.copyOf(answer);
      }

      @Override
      public String describe() {
        return "test";
      }
    }, probe, Duration.ofSeconds(30));
  }

  private static HostPort address(ProbeListener listener) {
    return new HostPort("127.0.0.1", listener.port());
  }
}
