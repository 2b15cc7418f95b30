package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsDevCommandTest {
  @TempDir Path directory;

  @Test
  void makesAPkiThatTheTrustModuleAccepts() throws Exception {
    CliRun run = CliRun.of("certs", "dev", "--out", directory.toString(), "--cluster", "prod",
        "--nodes", "node-1,node-2,node-3", "--clients", "alice,bob", "--days", "10");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Development PKI for cluster 'prod'", "openssl verify -CAfile");
    ClusterTrust trust = ClusterTrust.load("prod", directory.resolve("ca.crt"));
    for (String node : List.of("node-1", "node-2", "node-3")) {
      Credentials credentials = Credentials.load(directory.resolve(node + ".crt"), directory.resolve(node + ".key"));
      assertThat(trust.verify(List.of(credentials.certificate()), Instant.now())).isEqualTo(Identity.node("prod", node));
      assertThat(credentials.certificate().getNotAfter().toInstant())
          .isBefore(Instant.now().plusSeconds(11 * 24 * 3600L));
    }
    assertThat(Credentials.load(directory.resolve("bob.crt"), directory.resolve("bob.key")).identity())
        .isEqualTo(Identity.client("prod", "bob"));
  }

  @Test
  void refusesToReplaceACaWithOneLineAndExitOne() throws Exception {
    String[] args = {"certs", "dev", "--out", directory.toString(), "--cluster", "prod", "--nodes", "node-1"};
    assertThat(CliRun.of(args).exitCode()).isZero();
    byte[] ca = Files.readAllBytes(directory.resolve("ca.crt"));

    CliRun again = CliRun.of(args);

    assertThat(again.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(again.err().strip()).startsWith("chil: error: ").contains("ca.crt exists", "--force").doesNotContain("\n");
    assertThat(Files.readAllBytes(directory.resolve("ca.crt"))).isEqualTo(ca);
  }

  @Test
  void aBadNameIsOneLineWithoutStackTrace() {
    CliRun run = CliRun.of("certs", "dev", "--out", directory.toString(), "--cluster", "prod", "--nodes", "node 1");

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(run.err().strip()).isEqualTo(
        "chil: error: certs dev: node name 'node 1' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_', '-'");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    CliRun run = CliRun.of("--verbose", "certs", "dev", "--out", directory.toString(), "--cluster", "Bad!", "--nodes", "n1");

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(run.err()).contains("chil: error: certs dev: cluster name 'Bad!'", "\tat ");
  }

  @Test
  void aMissingOptionIsAUsageError() {
    CliRun run = CliRun.of("certs", "dev", "--cluster", "prod", "--nodes", "node-1");

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).contains("chil: Missing required option: '--out=DIR'", "Run 'chil certs dev --help'");
  }
}
