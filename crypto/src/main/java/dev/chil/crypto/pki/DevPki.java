package dev.chil.crypto.pki;

import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a development PKI to a directory: {@code ca.crt}, {@code ca.key}, for every node and
 * client {@code <name>.crt} and {@code <name>.key}, and for every admin {@code admin-<name>.crt}
 * and {@code admin-<name>.key} (so an admin and a client may share a name). Keys are PKCS#8 PEM,
 * mode 0600.
 *
 * <p>For development only: the CA key sits on disk beside everything it signed.
 */
public final class DevPki {
  /** Certificates are back-dated this much so that a peer whose clock is slightly behind accepts them. */
  static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofHours(1);

  private DevPki() {}

  /** What to make. */
  public record Request(String cluster, List<String> nodes, List<String> clients, List<String> admins,
      int validityDays) {
    public Request {
      nodes = List.copyOf(nodes);
      clients = List.copyOf(clients);
      admins = List.copyOf(admins);
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("at least one node is needed");
      }
      if (validityDays < 1) {
        throw new IllegalArgumentException("validity must be at least 1 day, not " + validityDays);
      }
      Set<String> seen = new LinkedHashSet<>();
      for (String name : concat(nodes, clients)) {
        if (!seen.add(name)) {
          throw new IllegalArgumentException(
              "name '" + name + "' is given twice; node and client names share one directory");
        }
        if (name.equals("ca")) {
          throw new IllegalArgumentException("'ca' is the CA's file name and cannot name a node or client");
        }
      }
      if (new LinkedHashSet<>(admins).size() != admins.size()) {
        throw new IllegalArgumentException("an admin name is given twice: " + admins);
      }
      // Validates the cluster and every name before anything is written.
      DevPki.identities(cluster, nodes, clients, admins);
    }

    /** Nodes and clients only, no admin. */
    public Request(String cluster, List<String> nodes, List<String> clients, int validityDays) {
      this(cluster, nodes, clients, List.of(), validityDays);
    }

    List<Identity> identities() {
      return DevPki.identities(cluster, nodes, clients, admins);
    }
  }

  /** What was made, for the caller to report. */
  public record Result(Path caCertificate, List<Path> certificates) {}

  /**
   * @throws IllegalStateException when the directory already holds a CA and {@code force} is off
   */
  public static Result generate(Path directory, Request request, Instant now, boolean force)
      throws GeneralSecurityException {
    Path caCertificate = directory.resolve("ca.crt");
    Path caKey = directory.resolve("ca.key");
    if (!force && (Files.exists(caCertificate) || Files.exists(caKey))) {
      throw new IllegalStateException(
          (Files.exists(caCertificate) ? caCertificate : caKey)
              + " exists: refusing to replace the CA, which would untrust everything it signed"
              + " (pass --force to replace it)");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(directory + ": cannot be created: " + e.getMessage(), e);
    }
    Instant notBefore = now.minus(CLOCK_SKEW_ALLOWANCE);
    Instant notAfter = now.plus(Duration.ofDays(request.validityDays()));
    CertificateAuthority authority = CertificateAuthority.create(
        "chil development CA for " + request.cluster(), notBefore, notAfter);

    List<Path> written = new ArrayList<>();
    for (Identity identity : request.identities()) {
      IssuedCertificate issued = authority.issue(LeafRequest.forIdentity(identity, notBefore, notAfter));
      String base = fileBase(identity);
      Path certificate = directory.resolve(base + ".crt");
      PemFiles.writePrivateKey(directory.resolve(base + ".key"), issued.privateKey());
      PemFiles.writeCertificate(certificate, issued.certificate());
      written.add(certificate);
    }
    // The CA last: a run that fails half-way leaves no CA behind, so it can simply be run again.
    PemFiles.writePrivateKey(caKey, authority.privateKey());
    PemFiles.writeCertificate(caCertificate, authority.certificate());
    return new Result(caCertificate, written);
  }

  /** The file name of an identity's certificate and key, without extension. */
  public static String fileBase(Identity identity) {
    return identity.role() == Role.ADMIN ? "admin-" + identity.name() : identity.name();
  }

  private static List<Identity> identities(String cluster, List<String> nodes, List<String> clients,
      List<String> admins) {
    List<Identity> identities = new ArrayList<>();
    nodes.forEach(node -> identities.add(Identity.node(cluster, node)));
    clients.forEach(client -> identities.add(Identity.client(cluster, client)));
    admins.forEach(admin -> identities.add(Identity.admin(cluster, admin)));
    return identities;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
