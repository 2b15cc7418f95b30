package dev.chil.crypto.pki;

import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to put in an end-entity certificate. {@link #forIdentity} gives the cluster's usual shape;
 * tests build odd ones (no SPIFFE SAN, two of them, expired) directly.
 */
public record LeafRequest(
    String commonName,
    List<String> uris,
    List<String> dnsNames,
    List<String> ipAddresses,
    boolean serverAuth,
    Instant notBefore,
    Instant notAfter) {

  public LeafRequest {
    Objects.requireNonNull(commonName, "commonName");
    uris = List.copyOf(uris);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
    }
  }

  /**
   * The SPIFFE id as the one URI SAN. Nodes are also TLS servers, so they get serverAuth and,
   * for development on one machine, the names {@code localhost} and {@code 127.0.0.1}.
   */
  public static LeafRequest forIdentity(Identity identity, Instant notBefore, Instant notAfter) {
    boolean node = identity.role() == Role.NODE;
    return new LeafRequest(
        identity.name(),
        List.of(identity.spiffeId()),
        node ? List.of("localhost") : List.of(),
        node ? List.of("127.0.0.1") : List.of(),
        node,
        notBefore,
        notAfter);
  }
}
