package dev.chil.node.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed values out of a parsed policy and collects every problem, each as
 * {@code <file>:<line>: <key path>: <what is wrong>}, instead of stopping at the first.
 */
final class PolicyTree {
  private final String source;
  private final YamlLines lines;
  private final List<String> problems = new ArrayList<>();

  PolicyTree(String source, YamlLines lines) {
    this.source = source;
    this.lines = lines;
  }

  List<String> problems() {
    return problems;
  }

  void problem(String path, String message) {
    problems.add(source + ":" + lines.line(path) + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /** The mapping at {@code path}, with any key outside {@code allowed} reported; empty if absent. */
  Optional<JsonNode> section(JsonNode parent, String path, Set<String> allowed, boolean required) {
    JsonNode node = child(parent, path);
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

  /** The list at {@code path}; empty (and a problem if required) when absent or not a list. */
  Optional<JsonNode> list(JsonNode parent, String path, boolean required) {
    JsonNode node = child(parent, path);
    if (node == null || node.isNull()) {
      if (required) {
        problem(path, "is required (an empty list is [])");
      }
      return Optional.empty();
    }
    if (!node.isArray()) {
      problem(path, "must be a list");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** A list of strings, each parsed by {@code parse}; a bad item is a problem of its own. */
  <T> List<T> strings(JsonNode parent, String path, boolean required, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    list(parent, path, required).ifPresent(list -> {
      for (int i = 0; i < list.size(); i++) {
        String at = path + "[" + i + "]";
        JsonNode item = list.get(i);
        if (!item.isString()) {
          problem(at, "must be a string (quote it)");
          continue;
        }
        try {
          values.add(parse.apply(item.asString()));
        } catch (IllegalArgumentException e) {
          problem(at, e.getMessage());
        }
      }
    });
    return values;
  }

  /** A scalar parsed by {@code parse}, whose IllegalArgumentException message becomes the problem. */
  <T> Optional<T> value(JsonNode parent, String path, boolean required, Function<String, T> parse) {
    JsonNode node = child(parent, path);
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
    try {
      return Optional.of(parse.apply(node.asString().strip()));
    } catch (IllegalArgumentException e) {
      problem(path, e.getMessage());
      return Optional.empty();
    }
  }

  /** A whole number in {@code min..max}. */
  Optional<Long> number(JsonNode parent, String path, boolean required, long min, long max) {
    return value(parent, path, required, text -> {
      long value;
      try {
        value = Long.parseLong(text.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException(value + " is not in " + min + "-" + max);
      }
      return value;
    });
  }

  private static JsonNode child(JsonNode parent, String path) {
    int cut = path.lastIndexOf('.');
    return parent.get(cut < 0 ? path : path.substring(cut + 1));
  }
}
