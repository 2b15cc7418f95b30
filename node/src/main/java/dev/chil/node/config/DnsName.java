package dev.chil.node.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** A DNS name as discovery asks for it: letters, digits, '-' and '.', labels of 1-63, at most 253 in all. */
final class DnsName {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private DnsName() {}

  static String check(String text) {
    String name = text.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.length() > 253) {
      throw new IllegalArgumentException("'" + text + "' is not a DNS name (1-253 characters)");
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("'" + text + "' is not a DNS name: label '" + label + "' must be 1-63 of"
            + " a-z, 0-9 and '-', not starting or ending with '-'");
      }
    }
    return name;
  }
}
