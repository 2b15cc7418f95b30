package dev.chil.node.codec;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random values of the Paxos records, for the codec and storage tests. */
public final class PaxosSamples {
  private final Random random;

  public PaxosSamples(long seed) {
    this.random = new Random(seed);
  }

  /** One of each message variant, in the order of {@link PaxosMessage}'s declaration. */
  public List<PaxosMessage> everyVariant() {
    return List.of(
        new PaxosMessage.Prepare(ballot(), slot()),
        new PaxosMessage.Promise(ballot(), slot(), acceptedEntries(random.nextInt(4))),
        new PaxosMessage.Accept(ballot(), slot(), commands(random.nextInt(4))),
        new PaxosMessage.Accepted(ballot(), slot(), bytes(VoteStatement.DIGEST_BYTES), bytes(64)),
        decide(slot()),
        new PaxosMessage.Nack(ballot(), random.nextBoolean() ? Ballot.ZERO : ballot()),
        new PaxosMessage.Heartbeat(ballot(), slot()),
        new PaxosMessage.CatchUpRequest(slot()),
        new PaxosMessage.CatchUpReply(List.of(decide(slot()), decide(slot()))));
  }

  /** Small slots mostly, sometimes the extremes a uint64 field must still carry. */
  public long slot() {
    switch (random.nextInt(4)) {
      case 0: return 0;
      case 1: return Long.MAX_VALUE - random.nextInt(2);
      default: return random.nextInt(1_000_000);
    }
  }

  public Ballot ballot() {
    return new Ballot(1 + random.nextInt(1000), "n" + random.nextInt(5));
  }

  public List<AcceptedEntry> acceptedEntries(int count) {
    List<AcceptedEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(new AcceptedEntry(slot(), ballot(), commands(random.nextInt(3))));
    }
    return entries;
  }

  public AcceptedEntry acceptedEntry(long slot) {
    return new AcceptedEntry(slot, ballot(), commands(random.nextInt(3)));
  }

  public PaxosMessage.Decide decide(long slot) {
    return new PaxosMessage.Decide(slot, commands(random.nextInt(4)), certificate(slot));
  }

  public Decision decision(long slot) {
    List<Command> commands = commands(random.nextInt(4));
    List<Command> toApply = commands.isEmpty() ? List.of() : commands.subList(0, random.nextInt(commands.size()));
    return new Decision(slot, commands, certificate(slot), toApply);
  }

  public QuorumCertificate certificate(long slot) {
    List<Vote> votes = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      votes.add(new Vote("n" + i, bytes(64)));
    }
    return new QuorumCertificate(
        new VoteStatement(slot, ballot().toBytes(), bytes(VoteStatement.DIGEST_BYTES)), votes);
  }

  public List<Command> commands(int count) {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commands.add(command());
    }
    return commands;
  }

  public Command command() {
    // A non-ASCII key now and then: UTF-8 must survive the trip.
    String key = random.nextInt(5) == 0 ? "clé-" + random.nextInt(100) : "key-" + random.nextInt(100);
    return new Command(key, bytes(random.nextInt(40)), "spiffe://test/client/c" + random.nextInt(3),
        "r" + random.nextLong());
  }

  public ByteString bytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  public Random random() {
    return random;
  }
}
