package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster for audit tests: a CA, node credentials, a genesis an admin signed, and decided slots with real
 * signed votes. Certificates are issued around a fixed instant; the log is checked at their
 * notBefore, so the tests do not depend on the wall clock.
 */
public final class TestCluster {
  public static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  public static final Instant NOT_BEFORE = NOW.minus(Duration.ofDays(1));
  public static final Instant NOT_AFTER = NOW.plus(Duration.ofDays(365));
  public static final ByteString EPOCH = ByteString.copyFromUtf8("ballot-1");

  public final String cluster;
  public final CertificateAuthority authority;
  public final Map<String, Credentials> nodes = new LinkedHashMap<>();
  public final Genesis genesis;
  /** spiffe://<cluster>/admin/root, who signed {@link #signed}. */
  public final Credentials admin;
  /** The genesis as the admin signed it: what a log is created from. */
  public final SignedRoster signed;

  public final Instant notBefore;
  public final Instant notAfter;

  private TestCluster(String cluster, Protocol protocol, int size, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    this(cluster, protocol, size, notBefore, notAfter,
        CertificateAuthority.create("audit test CA", notBefore, notAfter.plus(Duration.ofDays(1))));
  }

  private TestCluster(String cluster, Protocol protocol, int size, Instant notBefore, Instant notAfter,
      CertificateAuthority authority) throws GeneralSecurityException {
    this.cluster = cluster;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.authority = authority;
    List<RosterMember> roster = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      Credentials credentials = issue("node-" + i);
      nodes.put("node-" + i, credentials);
      roster.add(new RosterMember("node-" + i, credentials.certificate(), 1));
    }
    this.genesis = new Genesis(cluster, protocol, 1, roster);
    this.admin = authority.issue(Identity.admin(cluster, "root"), notBefore, notAfter);
    this.signed = SignedRoster.sign(genesis, admin);
  }

  public static TestCluster paxos(int size) throws GeneralSecurityException {
    return new TestCluster("prod", Protocol.PAXOS, size, NOT_BEFORE, NOT_AFTER);
  }

  public static TestCluster pbft(int size) throws GeneralSecurityException {
    return new TestCluster("prod", Protocol.PBFT, size, NOT_BEFORE, NOT_AFTER);
  }

  /** A pbft cluster under the same CA as {@code other}, with its own node keys. */
  public static TestCluster pbftSharing(TestCluster other, int size) throws GeneralSecurityException {
    return new TestCluster(other.cluster, Protocol.PBFT, size, other.notBefore, other.notAfter, other.authority);
  }

  /** A cluster of fresh node keys under {@code authority}, its certificates valid from notBefore to notAfter. */
  public static TestCluster under(CertificateAuthority authority, Protocol protocol, int size, Instant notBefore,
      Instant notAfter) throws GeneralSecurityException {
    return new TestCluster("prod", protocol, size, notBefore, notAfter, authority);
  }

  /** A paxos cluster whose certificates (and CA) expired years before {@link #NOW}. */
  public static TestCluster expiredPaxos(int size) throws GeneralSecurityException {
    return new TestCluster("prod", Protocol.PAXOS, size,
        Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z"));
  }

  public Credentials issue(String node) throws GeneralSecurityException {
    return authority.issue(Identity.node(cluster, node), notBefore, notAfter);
  }

  public Credentials node(String name) {
    return nodes.get(name);
  }

  /** Commands named after their slot, so a test can see where each one landed. */
  public static List<Command> commands(long slot, int count) {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commands.add(new Command("key-" + slot + "-" + i,
          ByteString.copyFrom(("value of slot " + slot + " #" + i).getBytes(StandardCharsets.UTF_8)),
          "spiffe://prod/client/app", "request-" + slot + "-" + i));
    }
    return commands;
  }

  public static Vote vote(Credentials signer, VoteStatement statement) {
    return new Vote(signer.identity().name(),
        ByteString.copyFrom(signer.signer().sign(VoteStatement.MESSAGE_TYPE, statement.payload())));
  }

  /** A slot decided by the first {@code voters} nodes of the roster. */
  public DecidedSlot decide(long slot, List<Command> commands, int voters) {
    VoteStatement statement = new VoteStatement(slot, EPOCH, SlotDigest.of(commands));
    List<Vote> votes = new ArrayList<>();
    for (Credentials node : nodes.values().stream().limit(voters).toList()) {
      votes.add(vote(node, statement));
    }
    return new DecidedSlot(commands, new QuorumCertificate(statement, votes), NOW, EPOCH);
  }

  /** A slot decided by a bare majority (paxos) or 2f+1 (pbft). */
  public DecidedSlot decide(long slot, List<Command> commands) {
    int voters = genesis.protocol() == Protocol.PAXOS
        ? nodes.size() / 2 + 1 : Quorum.pbftQuorum(nodes.size());
    return decide(slot, commands, voters);
  }

  /** Slots {@code first..first+count-1}, each with {@code commandsPerSlot} commands. */
  public List<DecidedSlot> slots(long first, int count, int commandsPerSlot) {
    List<DecidedSlot> slots = new ArrayList<>();
    for (long slot = first; slot < first + count; slot++) {
      slots.add(decide(slot, commands(slot, commandsPerSlot)));
    }
    return slots;
  }
}
