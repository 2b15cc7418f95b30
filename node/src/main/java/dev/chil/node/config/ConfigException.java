package dev.chil.node.config;

import java.util.List;

/** A config that cannot be used, with every problem found, each naming its key. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
