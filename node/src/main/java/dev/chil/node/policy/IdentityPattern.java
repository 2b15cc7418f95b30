package dev.chil.node.policy;

import java.util.regex.Pattern;

/**
 * Which client identities a rule is about: a SPIFFE id of a client of this cluster, exact
 * ({@code spiffe://prod/client/billing}) or with {@code *} in the name standing for any run of
 * characters, none included ({@code spiffe://prod/client/billing-*}, {@code spiffe://prod/client/*}).
 * The cluster and the role are always literal, so that a rule can never reach past this
 * cluster's clients, and a pattern naming another cluster is refused rather than never matching.
 */
public record IdentityPattern(String text) {
  private static final String CLIENT = "/client/";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._*-]{1,63}");

  /**
   * @throws IllegalArgumentException naming what is wrong with {@code text} as a pattern of a client of {@code cluster}
   */
  public static IdentityPattern parse(String text, String cluster) {
    String prefix = "spiffe://" + cluster + CLIENT;
    if (!text.startsWith("spiffe://")) {
      throw new IllegalArgumentException("'" + text + "' is not a client identity: write " + prefix + "<name>, '*'"
          + " in the name matching any characters");
    }
    if (!text.startsWith(prefix)) {
      throw new IllegalArgumentException("'" + text + "' is not a client of this cluster: identities here are "
          + prefix + "<name> (the cluster and role cannot be globbed)");
    }
    String name = text.substring(prefix.length());
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + text + "': the name must be 1-63 characters of A-Z, a-z, 0-9, '.', '_',"
          + " '-' and '*'");
    }
    return new IdentityPattern(text);
  }

  /** Whether {@code spiffeId} is this identity, or one the glob stands for. */
  public boolean matches(String spiffeId) {
    return globMatches(text, spiffeId);
  }

  /** {@code *} matches any run of characters (none included); every other character only itself. */
  static boolean globMatches(String glob, String text) {
    int g = 0;
    int t = 0;
    int starAt = -1; // the last '*' seen, and where in text its match ends for now
    int starText = 0;
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        starAt = g++;
        starText = t;
      } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
        g++;
        t++;
      } else if (starAt >= 0) {
        // Let the last '*' take one more character, and try the rest again from there.
        g = starAt + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  @Override
  public String toString() {
    return text;
  }
}
