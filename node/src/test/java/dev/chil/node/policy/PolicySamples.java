package dev.chil.node.policy;

/** Policy files for the tests: a minimal valid one, and its parts to break. */
final class PolicySamples {
  static final String CLUSTER = "test";
  static final SizeBounds BOUNDS = new SizeBounds(1024, 1 << 20, (1 << 20) + 1216, 1 << 20);

  private PolicySamples() {}

  static final String LIMITS = """
      limits:
        client:
          proposals: {per_second: 10, burst: 20}
          reads: {per_second: 100, burst: 200}
        all_clients:
          proposals: {per_second: 1000, burst: 1000}
          reads: {per_second: 1000, burst: 1000}
        peer:
          messages: {per_second: 1000, burst: 2000}
          bytes: {per_second: 1000000, burst: 1000000}
      """;

  static final String MINIMAL = LIMITS + """
      access:
        default: allow
      """;

  static Policy parse(String yaml) throws PolicyException {
    return PolicyLoader.parse(yaml, "p.yaml", CLUSTER, BOUNDS);
  }
}
