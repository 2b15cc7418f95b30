package dev.chil.bench;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A three-node paxos cluster and decided slots for the audit benchmarks: 100-byte values, a
 * SPIFFE client id, and certificates signed by a majority (two of three nodes), as a 3-node
 * Paxos cluster produces them.
 */
final class AuditFixtures {
  static final int VALUE_BYTES = 100;
  private static final ByteString EPOCH = ByteString.copyFromUtf8("ballot-1");

  final CertificateAuthority authority;
  final List<Credentials> nodes = new ArrayList<>();
  final Genesis genesis;
  private final Random random = new Random(20261124L);

  AuditFixtures() throws GeneralSecurityException {
    Instant now = Instant.now();
    authority = CertificateAuthority.create("bench CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    List<RosterMember> roster = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Credentials node = authority.issue(Identity.node("bench", "node-" + i), now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(29)));
      nodes.add(node);
      roster.add(new RosterMember(node.identity().name(), node.certificate(), 1));
    }
    genesis = new Genesis("bench", Protocol.PAXOS, 1, roster);
  }

  /** Slots {@code first..}, {@code commandsPerSlot} commands each, {@code entries} commands in all. */
  List<DecidedSlot> slots(long first, int entries, int commandsPerSlot) {
    List<DecidedSlot> slots = new ArrayList<>();
    long slot = first;
    for (int done = 0; done < entries; done += commandsPerSlot) {
      slots.add(decide(slot++, Math.min(commandsPerSlot, entries - done)));
    }
    return slots;
  }

  DecidedSlot decide(long slot, int commandCount) {
    List<Command> commands = new ArrayList<>(commandCount);
    for (int i = 0; i < commandCount; i++) {
      byte[] value = new byte[VALUE_BYTES];
      random.nextBytes(value);
      commands.add(new Command("key-" + random.nextInt(1_000_000), ByteString.copyFrom(value),
          "spiffe://bench/client/load", "request-" + slot + "-" + i));
    }
    VoteStatement statement = new VoteStatement(slot, EPOCH, SlotDigest.of(commands));
    List<Vote> votes = new ArrayList<>();
    for (Credentials node : nodes.subList(0, 2)) {
      votes.add(new Vote(node.identity().name(),
          ByteString.copyFrom(node.signer().sign(VoteStatement.MESSAGE_TYPE, statement.payload()))));
    }
    return new DecidedSlot(commands, new QuorumCertificate(statement, votes), Instant.now(), EPOCH);
  }

  static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
