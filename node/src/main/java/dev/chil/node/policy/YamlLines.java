package dev.chil.node.policy;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The line of each key and list item of a YAML document, by its path ({@code limits.client},
 * {@code access.rules[0].name}), read from the parser's token locations, so that a problem can
 * say where in the file it is. The document must already have parsed as a tree.
 */
final class YamlLines {
  private final Map<String, Integer> lines;

  private YamlLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  static YamlLines of(YAMLMapper mapper, String yaml) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = mapper.createParser(yaml)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          continue;
        }
        // A property name's pointer names the property; a value inside a list names its index.
        lines.putIfAbsent(parser.streamReadContext().pathAsPointer().toString(),
            parser.currentTokenLocation().getLineNr());
      }
    }
    return new YamlLines(lines);
  }

  /** The line of {@code path}, or of its nearest enclosing key that has one; 0 when none does. */
  int line(String path) {
    for (String at = path; ; at = parent(at)) {
      Integer line = lines.get(pointer(at));
      if (line != null) {
        return line;
      }
      if (at.isEmpty()) {
        return 0;
      }
    }
  }

  private static String pointer(String path) {
    if (path.isEmpty()) {
      return "";
    }
    return "/" + path.replace("[", ".").replace("]", "").replace('.', '/');
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
