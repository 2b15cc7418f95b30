package dev.chil.node.policy;

import static dev.chil.node.policy.PolicySamples.BOUNDS;
import static dev.chil.node.policy.PolicySamples.CLUSTER;
import static dev.chil.node.policy.PolicySamples.LIMITS;
import static dev.chil.node.policy.PolicySamples.MINIMAL;
import static dev.chil.node.policy.PolicySamples.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  @TempDir Path directory;

  private static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (PolicyException e) {
      return e.problems();
    }
    throw new AssertionError("the policy was accepted:\n" + yaml);
  }

  @Test
  void theBundledDefaultLoadsAndAllowsEveryClientEveryKey() {
    Policy policy = PolicyLoader.bundledDefault(CLUSTER, BOUNDS);

    assertThat(policy.source()).isEqualTo("the bundled policies/default.yaml");
    assertThat(policy.access().allowByDefault()).isTrue();
    assertThat(policy.access().rules()).isEmpty();
    assertThat(policy.access().denial("spiffe://test/client/anyone", Operation.PROPOSE, "any/key")).isEmpty();
    assertThat(policy.sizes()).isEqualTo(Sizes.of(BOUNDS));
    assertThat(policy.deny()).isEqualTo(DenyList.empty());
    assertThat(policy.limits().client().proposals()).isEqualTo(new Rate(5000, 10000));
  }

  @Test
  void theRepositoryFileIsTheBundledOne() throws Exception {
    Path repositoryFile = Path.of("..", "policies", "default.yaml");
    Policy fromFile = PolicyLoader.load(repositoryFile, CLUSTER, BOUNDS);

    assertThat(fromFile.limits()).isEqualTo(PolicyLoader.bundledDefault(CLUSTER, BOUNDS).limits());
    assertThat(fromFile.source()).isEqualTo(repositoryFile.toString());
  }

  @Test
  void aFullPolicyIsReadKeyByKey() throws Exception {
    Policy policy = parse(LIMITS.replace("  all_clients:", "  client_overrides:\n"
        + "    - identity: \"spiffe://test/client/batch-*\"\n"
        + "      proposals: {per_second: 1, burst: 2}\n"
        + "  all_clients:") + """
        sizes: {key_bytes_max: 64, value_bytes_max: 100, message_bytes_max: 300, batch_bytes_max: 500}
        access:
          default: deny
          rules:
            - name: billing
              identities: ["spiffe://test/client/billing-*", "spiffe://test/client/auditor"]
              propose: ["billing/"]
              read: ["billing/", ""]
        deny:
          serials: ["1F:2e", "0xabc"]
          sha256_fingerprints: ["%s"]
        """.formatted("AB:".repeat(31) + "AB"));

    assertThat(policy.limits().ratesOf("spiffe://test/client/batch-7"))
        .isEqualTo(new ClientRates(new Rate(1, 2), new Rate(100, 200)));
    assertThat(policy.limits().ratesOf("spiffe://test/client/alice")).isEqualTo(policy.limits().client());
    assertThat(policy.sizes()).isEqualTo(new Sizes(64, 100, 300, 500, BOUNDS));
    assertThat(policy.access().allowByDefault()).isFalse();
    assertThat(policy.access().rules()).singleElement().satisfies(rule -> {
      assertThat(rule.name()).isEqualTo("billing");
      assertThat(rule.propose()).containsExactly("billing/");
      assertThat(rule.read()).containsExactly("billing/", "");
    });
    assertThat(policy.deny().serials()).containsExactlyInAnyOrder(BigInteger.valueOf(0x1f2e), BigInteger.valueOf(0xabc));
    assertThat(policy.deny().sha256Fingerprints()).containsExactly("ab".repeat(32));
  }

  @Test
  void everyProblemIsListedWithFileLineAndKey() {
    List<String> problems = problems("""
        limits:
          client:
            proposals: {per_second: ten, burst: 20}
            reads: {per_second: 0, burst: 200}
          all_clients:
            proposals: {per_second: 1000}
            reads: {per_second: 1000, burst: 1000, refill: greedy}
          peer:
            messages: {per_second: 1000, burst: 2000}
        access:
          default: maybe
        """);

    assertThat(problems).containsExactlyInAnyOrder(
        "p.yaml:3: limits.client.proposals.per_second: 'ten' is not a whole number",
        "p.yaml:4: limits.client.reads.per_second: 0 is not in 1-" + Rate.MAX,
        "p.yaml:6: limits.all_clients.proposals.burst: is required",
        "p.yaml:7: limits.all_clients.reads.refill: is not a known key (known: [burst, per_second])",
        "p.yaml:8: limits.peer.bytes: is required",
        "p.yaml:11: access.default: 'maybe' is neither allow nor deny");
  }

  @Test
  void limitsAndAccessAreRequiredAndUnknownSectionsRefused() {
    assertThat(problems("acess:\n  default: allow\n")).containsExactlyInAnyOrder(
        "p.yaml:1: acess: is not a known key (known: [access, deny, limits, sizes])",
        "p.yaml:1: limits: is required",
        "p.yaml:1: access: is required");
  }

  @Test
  void anEmptyFileIsNoPolicy() {
    assertThat(problems("")).singleElement().asString().contains("p.yaml:1: is empty");
    assertThat(problems("# nothing but a comment\n")).singleElement().asString().contains("is empty");
    assertThat(problems("- a list\n")).singleElement().asString().contains("must be a mapping");
  }

  @Test
  void badYamlNamesItsLine() {
    assertThat(problems(MINIMAL + "deny: {serials: [\n")).singleElement().asString()
        .startsWith("p.yaml:13: is not valid YAML: ");
    assertThat(problems(MINIMAL + "access:\n  default: deny\n")).singleElement().asString()
        .startsWith("p.yaml:13: is not valid YAML: ").contains("Duplicate").contains("\"access\"");
  }

  @Test
  void aDuplicatedKeyIsRefusedNotSilentlyTheLastOne() {
    assertThat(problems(LIMITS + "access:\n  default: deny\n  default: allow\n")).singleElement().asString()
        .startsWith("p.yaml:13: is not valid YAML: ").contains("Duplicate").contains("\"default\"");
  }

  @Test
  void accessRulesAreCheckedOneByOne() {
    List<String> problems = problems(LIMITS + """
        access:
          default: deny
          rules:
            - name: ok
              identities: ["spiffe://test/client/a"]
              propose: ["a/"]
              read: []
            - name: ok
              identities: ["spiffe://test/client/b"]
              propose: []
              read: []
            - name: "bad name"
              identities: []
              propose: ["x/*"]
            - identities: ["spiffe://other/client/a", "spiffe://test/node/n1", "alice", "spiffe://test/client/a/b", 7]
              propose: [""]
              read: [""]
              write: [""]
            - just a string
        """);

    assertThat(problems).containsExactlyInAnyOrder(
        "p.yaml:18: access.rules[1].name: 'ok' names an earlier rule too; names must be unique, since a denial names"
            + " its rule",
        "p.yaml:22: access.rules[2].name: 'bad name' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_', '-'",
        "p.yaml:23: access.rules[2].identities: is empty: a rule must name the identities it is about",
        "p.yaml:24: access.rules[2].propose[0]: 'x/*': prefixes are literal, not globs ('orders/' already covers"
            + " 'orders/17'; \"\" covers every key)",
        "p.yaml:22: access.rules[2].read: is required (an empty list is [])",
        "p.yaml:28: access.rules[3].write: is not a known key (known: [identities, name, propose, read])",
        "p.yaml:25: access.rules[3].name: is required",
        "p.yaml:25: access.rules[3].identities[0]: 'spiffe://other/client/a' is not a client of this cluster:"
            + " identities here are spiffe://test/client/<name> (the cluster and role cannot be globbed)",
        "p.yaml:25: access.rules[3].identities[1]: 'spiffe://test/node/n1' is not a client of this cluster:"
            + " identities here are spiffe://test/client/<name> (the cluster and role cannot be globbed)",
        "p.yaml:25: access.rules[3].identities[2]: 'alice' is not a client identity: write"
            + " spiffe://test/client/<name>, '*' in the name matching any characters",
        "p.yaml:25: access.rules[3].identities[3]: 'spiffe://test/client/a/b': the name must be 1-63 characters of"
            + " A-Z, a-z, 0-9, '.', '_', '-' and '*'",
        "p.yaml:25: access.rules[3].identities[4]: must be a string (quote it)",
        "p.yaml:29: access.rules[4]: must be a mapping {name, identities, propose, read}");
  }

  @Test
  void aSizeCanOnlyTightenTheNodesOwnBound() {
    List<String> problems = problems(MINIMAL + """
        sizes:
          key_bytes_max: 1025
          value_bytes_max: -1
          message_bytes_max: lots
          batch_bytes_max: 2000000
          frame_bytes_max: 1
        """);

    assertThat(problems).containsExactlyInAnyOrder(
        "p.yaml:14: sizes.key_bytes_max: 1025 is more than this node can ever take: 1024 (the audit chain's key"
            + " limit); a policy can only tighten it",
        "p.yaml:15: sizes.value_bytes_max: -1 is less than 0",
        "p.yaml:16: sizes.message_bytes_max: 'lots' is not a whole number of bytes",
        "p.yaml:17: sizes.batch_bytes_max: 2000000 is more than this node can ever take: 1048576"
            + " (batching.max_bytes of the node's config); a policy can only tighten it",
        "p.yaml:18: sizes.frame_bytes_max: is not a known key (known: [batch_bytes_max, key_bytes_max,"
            + " message_bytes_max, value_bytes_max])");
  }

  @Test
  void anOverrideNamesAnIdentityAndSomethingToOverride() {
    List<String> problems = problems(LIMITS.replace("  all_clients:", "  client_overrides:\n"
        + "    - identity: \"spiffe://test/client/*\"\n"
        + "    - proposals: {per_second: 1, burst: 1}\n"
        + "    - 12\n"
        + "  all_clients:") + "access: {default: allow}\n");

    assertThat(problems).containsExactlyInAnyOrder(
        "p.yaml:6: limits.client_overrides[0]: overrides nothing: give proposals, reads or both",
        "p.yaml:7: limits.client_overrides[1].identity: is required",
        "p.yaml:8: limits.client_overrides[2]: must be a mapping {identity, proposals, reads}");
  }

  @Test
  void badDenyEntriesAreNamed() {
    List<String> problems = problems(MINIMAL + """
        deny:
          serials: ["xyz", ""]
          sha256_fingerprints: ["abcd"]
        """);

    assertThat(problems).containsExactlyInAnyOrder(
        "p.yaml:14: deny.serials[0]: 'xyz' is not a certificate serial number: 1-40 hex digits (colons allowed), as"
            + " openssl x509 -serial prints it",
        "p.yaml:14: deny.serials[1]: '' is not a certificate serial number: 1-40 hex digits (colons allowed), as"
            + " openssl x509 -serial prints it",
        "p.yaml:15: deny.sha256_fingerprints[0]: 'abcd' is not a SHA-256 fingerprint: 64 hex digits (colons"
            + " allowed), as openssl x509 -fingerprint -sha256 prints it");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = directory.resolve("nope.yaml");

    assertThatThrownBy(() -> PolicyLoader.load(missing, CLUSTER, BOUNDS)).isInstanceOf(PolicyException.class)
        .hasMessageContaining(missing + ": the policy file does not exist");
  }

  @Test
  void aFileNamesItselfInEveryProblem() throws Exception {
    Path file = Files.writeString(directory.resolve("prod.yaml"), MINIMAL.replace("burst: 20}", "burst: x}"));

    assertThatThrownBy(() -> PolicyLoader.load(file, CLUSTER, BOUNDS)).isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(file + ": 1 problem:")
        .hasMessageContaining(file + ":3: limits.client.proposals.burst: 'x' is not a whole number");
  }
}
