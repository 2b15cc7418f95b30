package dev.chil.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed values out of a parsed YAML tree and collects every problem, each prefixed with its
 * key path (and the environment variable it came from, if any), instead of stopping at the first.
 */
final class ConfigTree {
  private final List<String> problems = new ArrayList<>();
  private final Map<String, String> environmentSources;

  /** @param environmentSources key path → the CONSENSUS_* variable whose value it holds */
  ConfigTree(Map<String, String> environmentSources) {
    this.environmentSources = environmentSources;
  }

  List<String> problems() {
    return problems;
  }

  void problem(String path, String message) {
    String source = environmentSources.get(path);
    problems.add(path + (source == null ? "" : " (from " + source + ")") + ": " + message);
  }

  /** The mapping under {@code key}, with any key outside {@code allowed} reported; empty if absent. */
  Optional<JsonNode> section(JsonNode parent, String path, Set<String> allowed, boolean required) {
    JsonNode node = parent.get(last(path));
    if (node == null || node.isNull()) {
      if (required) {
        problem(path, "is required");
      }
      return Optional.empty();
    }
    if (!node.isObject()) {
      problem(path, "must be a mapping of keys to values");
      return Optional.empty();
    }
    reportUnknownKeys(node, path, allowed);
    return Optional.of(node);
  }

  void reportUnknownKeys(JsonNode node, String path, Set<String> allowed) {
    for (String key : node.propertyNames()) {
      if (!allowed.contains(key)) {
        problem(path.isEmpty() ? key : path + "." + key, "is not a known key (known: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  /** A scalar as text; empty (and a problem if required) when absent. */
  Optional<String> text(JsonNode parent, String path, boolean required) {
    JsonNode node = parent.get(last(path));
    if (node == null || node.isNull()) {
      if (required) {
        problem(path, "is required");
      }
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      problem(path, "must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
      return Optional.empty();
    }
    String text = node.asString().strip();
    if (text.isEmpty()) {
      problem(path, "is empty");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  /** A scalar parsed by {@code parse}, whose IllegalArgumentException message becomes the problem. */
  <T> Optional<T> value(JsonNode parent, String path, boolean required, Function<String, T> parse) {
    return text(parent, path, required).flatMap(text -> {
      try {
        return Optional.of(parse.apply(text));
      } catch (IllegalArgumentException e) {
        problem(path, e.getMessage());
        return Optional.empty();
      }
    });
  }

  <T> T valueOr(JsonNode parent, String path, T defaultValue, Function<String, T> parse) {
    return value(parent, path, false, parse).orElse(defaultValue);
  }

  int integer(JsonNode parent, String path, int defaultValue, int min, int max) {
    return valueOr(parent, path, defaultValue, text -> {
      int value;
      try {
        value = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException(value + " is not in " + min + "-" + max);
      }
      return value;
    });
  }

  boolean bool(JsonNode parent, String path, boolean defaultValue) {
    return valueOr(parent, path, defaultValue, text -> switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
    });
  }

  static String last(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
