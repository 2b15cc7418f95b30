package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chil roster sign} for a config written as the spec writes it (no cluster, peers by
 * address only): the admin names the other members by their certificates with --node-cert.
 */
class RosterSignCommandTest {
  private static final String SPEC_STYLE = """
      consensus:
        node_id: "node-1"
        bind_address: "127.0.0.1:7001"
        peers:
          - address: "127.0.0.1:7002"
            weight: 1
          - address: "127.0.0.1:7003"
            weight: 1
        security: {cert_file: pki/node-1.crt, key_file: pki/node-1.key, ca_file: pki/ca.crt}
      """;

  @TempDir Path directory;
  private Path config;

  @BeforeEach
  void pkiAndConfig() throws Exception {
    DevPki.generate(directory.resolve("pki"), new DevPki.Request("spec", List.of("node-1", "node-2", "node-3"),
        List.of(), List.of("root"), 1), Instant.now(), false);
    config = directory.resolve("node-1.yaml");
    Files.writeString(config, SPEC_STYLE);
  }

  @Test
  void signsTheConfigsNodeAndEveryGivenNodeCertificateBesideTheCa() throws Exception {
    CliRun run = sign("--node-cert", pki("node-2.crt") + "," + pki("node-3.crt"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Signed roster of cluster 'spec' (paxos, 3 members) by spiffe://spec/admin/root",
        "genesis ");
    SignedRoster signed = SignedRosterJson.parse(Files.readString(directory.resolve("pki/roster.json")));
    assertThat(signed.verify(ClusterTrust.load("spec", directory.resolve("pki/ca.crt")), Instant.now()))
        .isEqualTo(Identity.admin("spec", "root"));
    assertThat(signed.genesis().roster()).extracting(RosterMember::node, RosterMember::weight)
        .containsExactly(tuple("node-1", 1L), tuple("node-2", 1L), tuple("node-3", 1L));
  }

  @Test
  void peersByAddressWithoutTheirCertificatesAreRefusedNamingTheOption() {
    CliRun run = sign();

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(run.err()).contains("the config lists 2 peers without an id, and --node-cert gives the certificates"
        + " of 0 members");
    assertThat(directory.resolve("pki/roster.json")).doesNotExist();
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() throws Exception {
    DevPki.generate(directory.resolve("foreign"), new DevPki.Request("spec", List.of("node-2"), List.of(), List.of(), 1),
        Instant.now(), false);
    CliRun run = sign("--node-cert", directory.resolve("foreign/node-2.crt") + "," + pki("node-3.crt"));

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(run.err()).contains("--node-cert " + directory.resolve("foreign/node-2.crt"));
    assertThat(directory.resolve("pki/roster.json")).doesNotExist();
  }

  private CliRun sign(String... more) {
    List<String> args = new ArrayList<>(List.of("roster", "sign", "--config", config.toString(),
        "--cert", pki("admin-root.crt"), "--key", pki("admin-root.key")));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private String pki(String file) {
    return directory.resolve("pki").resolve(file).toString();
  }
}
