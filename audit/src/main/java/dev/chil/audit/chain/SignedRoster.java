package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import dev.chil.crypto.CertificateIdentity;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.TinkVerifier;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The founding roster as an admin authorized it: the {@link Genesis} (cluster, protocol, quorum
 * rule, first slot, members with certificates and weights), the certificate of an admin
 * ({@code spiffe://<cluster>/admin/<name>}) and that admin's signature over the genesis bytes.
 * Neither a node nor someone holding only the file has an admin key, so neither can write a
 * genesis that verifies; a verifier needs only the CA certificate to check it.
 */
public record SignedRoster(Genesis genesis, X509Certificate adminCertificate, ByteString signature) {
  /** The message type of the admin's signature: signed bytes as in FORMAT.md, payload = genesis bytes. */
  public static final String MESSAGE_TYPE = "chil.roster.v1";

  public SignedRoster {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(adminCertificate, "adminCertificate");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * An admin signs a roster. Refuses an unsound quorum rule and a signer who is not an admin of
   * the roster's cluster, so that nothing signed here would be refused later.
   */
  public static SignedRoster sign(Genesis genesis, Credentials admin) {
    String unsound = genesis.unsoundness();
    if (unsound != null) {
      throw new IllegalArgumentException("the roster cannot be signed: " + unsound);
    }
    Identity identity = admin.identity();
    if (identity.role() != Role.ADMIN || !identity.cluster().equals(genesis.cluster())) {
      throw new IllegalArgumentException(identity + " cannot sign a roster of cluster '" + genesis.cluster()
          + "': only spiffe://" + genesis.cluster() + "/admin/<name> can");
    }
    return new SignedRoster(genesis, admin.certificate(),
        ByteString.copyFrom(admin.signer().sign(MESSAGE_TYPE, genesis.canonicalBytes())));
  }

  public byte[] adminCertificateDer() {
    try {
      return adminCertificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the admin certificate cannot be encoded", e);
    }
  }

  /**
   * Checks the authorization, in FORMAT.md's order: the quorum rule is sound; every member
   * certificate passes {@link RosterCertificates}; the admin certificate chains to the CA at
   * {@code at} and names an admin of the genesis's cluster; its signature verifies over the
   * genesis bytes.
   *
   * @return the admin who signed
   * @throws RosterRejectedException naming {@link Problem#QUORUM_RULE_UNSOUND},
   *     {@link Problem#ROSTER_CERTIFICATE_REJECTED} or {@link Problem#ROSTER_NOT_AUTHORIZED}
   */
  public Identity verify(ClusterTrust trust, Instant at) throws RosterRejectedException {
    String unsound = genesis.unsoundness();
    if (unsound != null) {
      throw new RosterRejectedException(Problem.QUORUM_RULE_UNSOUND, unsound);
    }
    RosterCertificates.check(genesis, trust.caCertificate());
    return verifyAdmin(trust, at);
  }

  /** The admin part of {@link #verify} alone. */
  public Identity verifyAdmin(ClusterTrust trust, Instant at) throws RosterRejectedException {
    if (!trust.cluster().equals(genesis.cluster())) {
      throw new RosterRejectedException(Problem.ROSTER_NOT_AUTHORIZED, "the roster is of cluster '"
          + genesis.cluster() + "', not '" + trust.cluster() + "'");
    }
    Identity admin;
    try {
      admin = trust.verify(List.of(adminCertificate), at);
      LeafRules.check(adminCertificate, trust.caCertificate(), at);
    } catch (CertificateRejectedException e) {
      throw new RosterRejectedException(Problem.ROSTER_NOT_AUTHORIZED,
          "the admin certificate is rejected: " + e.getMessage());
    }
    if (admin.role() != Role.ADMIN) {
      throw new RosterRejectedException(Problem.ROSTER_NOT_AUTHORIZED, "the roster is signed by " + admin
          + ", who is not an admin: only spiffe://" + genesis.cluster() + "/admin/<name> may sign a roster");
    }
    try {
      TinkVerifier.forCertificates(genesis.cluster(), List.of(adminCertificate))
          .verify(admin, MESSAGE_TYPE, genesis.canonicalBytes(), signature.toByteArray());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new RosterRejectedException(Problem.ROSTER_NOT_AUTHORIZED,
          "the admin signature of " + admin + " does not verify over this genesis: the roster was changed after"
              + " it was signed, or never signed");
    }
    return admin;
  }

  /** The identity the admin certificate names, unchecked: for messages only. */
  public String adminName() {
    try {
      return CertificateIdentity.of(adminCertificate).toString();
    } catch (CertificateRejectedException | RuntimeException e) {
      return "(an admin certificate with no valid identity)";
    }
  }
}
