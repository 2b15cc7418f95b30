package dev.chil.crypto;

import java.util.Locale;

/**
 * What a certificate lets its holder be: a replica of the cluster, a client of it, or an admin
 * who signs the cluster's founding roster. An admin never connects: the TLS layer accepts only
 * nodes and clients.
 */
public enum Role {
  NODE,
  CLIENT,
  ADMIN;

  /** The path segment of a SPIFFE id: {@code node} or {@code client}. */
  public String pathSegment() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a path segment; null when it names no role. */
  static Role fromPathSegment(String segment) {
    for (Role role : values()) {
      if (role.pathSegment().equals(segment)) {
        return role;
      }
    }
    return null;
  }
}
