package dev.chil.node.sim;

import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.crypto.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real Ed25519 credentials for the harness's nodes and the audit genesis naming them, made once
 * per test JVM (key generation is the slow part). Ed25519 signs deterministically, so runs
 * replay; the audit logs verify certificates as in production.
 */
final class TestPki {
  static final String CLUSTER = "harness";
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(3650));
  private static final Map<Integer, TestPki> BY_SIZE = new TreeMap<>();

  final List<String> names;
  final Map<String, Signer> signers = new TreeMap<>();
  final Verifier verifier;
  /** The genesis roster, signed by the harness's admin as a node requires. */
  final SignedRoster genesis;

  private TestPki(int nodes) throws GeneralSecurityException {
    List<String> list = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      list.add("n" + i);
    }
    names = List.copyOf(list);
    CertificateAuthority authority = CertificateAuthority.create("harness-ca", NOT_BEFORE, NOT_AFTER);
    List<RosterMember> members = new ArrayList<>();
    List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
    for (String name : names) {
      Credentials credentials = authority.issue(Identity.node(CLUSTER, name), NOT_BEFORE, NOT_AFTER);
      signers.put(name, credentials.signer());
      certificates.add(credentials.certificate());
      members.add(new RosterMember(name, credentials.certificate(), 1));
    }
    verifier = TinkVerifier.forCertificates(CLUSTER, certificates);
    Credentials admin = authority.issue(Identity.admin(CLUSTER, "root"), NOT_BEFORE, NOT_AFTER);
    genesis = SignedRoster.sign(new Genesis(CLUSTER, Protocol.PAXOS, 0, members), admin);
  }

  static synchronized TestPki of(int nodes) {
    return BY_SIZE.computeIfAbsent(nodes, size -> {
      try {
        return new TestPki(size);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the test PKI failed", e);
      }
    });
  }
}
