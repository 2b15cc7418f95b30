package dev.chil.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who a certificate names: {@code spiffe://<cluster>/<role>/<name>}, for example
 * {@code spiffe://prod/node/node-1}. The only source of an identity is a verified certificate;
 * never a field a peer sends.
 */
public record Identity(String cluster, Role role, String name) {

  static final String SCHEME = "spiffe://";
  // Conservative on purpose: these strings end up in file names, SQL rows and log lines.
  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public Identity {
    Objects.requireNonNull(role, "role");
    if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "cluster name '" + cluster + "' must be 1-63 characters of a-z, 0-9, '.', '-'");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          role.pathSegment() + " name '" + name + "' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_', '-'");
    }
  }

  public static Identity node(String cluster, String name) {
    return new Identity(cluster, Role.NODE, name);
  }

  public static Identity client(String cluster, String name) {
    return new Identity(cluster, Role.CLIENT, name);
  }

  /** {@code spiffe://<cluster>/admin/<name>}: signs rosters, never connects. */
  public static Identity admin(String cluster, String name) {
    return new Identity(cluster, Role.ADMIN, name);
  }

  /**
   * Parses a SPIFFE id of the form {@code spiffe://<cluster>/<node|client|admin>/<name>}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static Identity parse(String spiffeId) {
    if (spiffeId == null || !spiffeId.startsWith(SCHEME)) {
      throw new IllegalArgumentException("'" + spiffeId + "' is not a spiffe:// id");
    }
    String[] parts = spiffeId.substring(SCHEME.length()).split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "'" + spiffeId + "' is not of the form spiffe://<cluster>/<node|client|admin>/<name>");
    }
    Role role = Role.fromPathSegment(parts[1]);
    if (role == null) {
      throw new IllegalArgumentException(
          "'" + spiffeId + "' has role '" + parts[1] + "'; expected node, client or admin");
    }
    return new Identity(parts[0], role, parts[2]);
  }

  public String spiffeId() {
    return SCHEME + cluster + "/" + role.pathSegment() + "/" + name;
  }

  @Override
  public String toString() {
    return spiffeId();
  }
}
