package dev.chil.node.policy;

import java.util.List;

/**
 * A policy file that cannot be used, with every problem found, each naming the file, the line and
 * the key ({@code policies/prod.yaml:12: limits.client.proposals.per_second: ...}).
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public PolicyException(String source, List<String> problems) {
    super(source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as {@code <file>:<line>: <key>: <what is wrong>}. */
  public List<String> problems() {
    return problems;
  }
}
