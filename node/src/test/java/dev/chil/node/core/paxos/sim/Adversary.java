package dev.chil.node.core.paxos.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bad input from the network: forged, corrupted and replayed messages. Only what a core can
 * check is tampered with (signed votes, certificates, the commands they cover); unsigned phase-1
 * and phase-2 requests are authenticated by mutual TLS in the real transport, so forging those
 * would model a broken transport, not a bad message. A forged command always names the client
 * {@link #FORGER}, which no simulated client is, so the checker sees it if one is ever decided.
 */
final class Adversary {
  static final String FORGER = "forger";
  /** Delivered messages remembered for replay. */
  private static final int REMEMBERED_MAX = 512;

  record Message(String from, String to, PeerMessage message) {}

  private final SplittableRandom random;
  private final List<Message> remembered = new ArrayList<>();
  private int nextSlot;
  private long forgeries;
  long forged;
  long corrupted;
  long replayed;

  Adversary(SplittableRandom random) {
    this.random = random;
  }

  /** Remembers a delivered message, so that it can be replayed much later. */
  void delivered(String from, String to, PeerMessage message) {
    if (remembered.size() < REMEMBERED_MAX) {
      remembered.add(new Message(from, to, message));
    } else {
      remembered.set(nextSlot, new Message(from, to, message));
      nextSlot = (nextSlot + 1) % REMEMBERED_MAX;
    }
  }

  /** An old delivered message to deliver again, or null. */
  Message replay() {
    if (remembered.isEmpty()) {
      return null;
    }
    replayed++;
    return remembered.get(random.nextInt(remembered.size()));
  }

  /** A tampered copy of a signed message, or null when the message carries nothing signed. */
  PeerMessage corrupt(PeerMessage message) {
    PeerMessage result = null;
    if (message instanceof PaxosMessage.Accepted accepted) {
      result = random.nextBoolean()
          ? new PaxosMessage.Accepted(accepted.ballot(), accepted.slot(), accepted.digest(), flip(accepted.signature()))
          : new PaxosMessage.Accepted(accepted.ballot(), accepted.slot(), garbage(32), accepted.signature());
    } else if (message instanceof PaxosMessage.Decide decide) {
      result = corrupt(decide);
    } else if (message instanceof PaxosMessage.CatchUpReply reply && !reply.decisions().isEmpty()) {
      List<PaxosMessage.Decide> decisions = new ArrayList<>(reply.decisions());
      int victim = random.nextInt(decisions.size());
      decisions.set(victim, corrupt(decisions.get(victim)));
      result = new PaxosMessage.CatchUpReply(decisions);
    }
    if (result != null) {
      corrupted++;
    }
    return result;
  }

  private PaxosMessage.Decide corrupt(PaxosMessage.Decide decide) {
    QuorumCertificate certificate = decide.certificate();
    switch (random.nextInt(3)) {
      case 0 -> {
        // Other commands under the same certificate.
        List<Command> commands = new ArrayList<>(decide.commands());
        commands.add(forgedCommand());
        return new PaxosMessage.Decide(decide.slot(), commands, certificate);
      }
      case 1 -> {
        // One vote's signature damaged.
        List<Vote> votes = new ArrayList<>(certificate.votes());
        int victim = random.nextInt(votes.size());
        votes.set(victim, new Vote(votes.get(victim).signer(), flip(votes.get(victim).signature())));
        return new PaxosMessage.Decide(decide.slot(), decide.commands(), new QuorumCertificate(certificate.statement(), votes));
      }
      default -> {
        // The same certificate presented for the next slot.
        return new PaxosMessage.Decide(decide.slot() + 1, decide.commands(), certificate);
      }
    }
  }

  /**
   * A Decide for {@code slot} of commands no client submitted, with a certificate that names a
   * vote of every member: the sender's own vote is genuine (a member can sign its own vote),
   * the others are made up.
   */
  PaxosMessage.Decide forgeDecide(long slot, String sender, List<String> members, dev.chil.crypto.Signer senderSigner) {
    forged++;
    List<Command> commands = List.of(forgedCommand());
    VoteStatement statement = new VoteStatement(slot, new Ballot(1 + random.nextInt(50), sender).toBytes(),
        SlotDigest.of(commands));
    List<Vote> votes = new ArrayList<>();
    for (String member : members) {
      ByteString signature = member.equals(sender)
          ? ByteString.copyFrom(senderSigner.sign(VoteStatement.MESSAGE_TYPE, statement.payload()))
          : garbage(32);
      votes.add(new Vote(member, signature));
    }
    return new PaxosMessage.Decide(slot, commands, new QuorumCertificate(statement, votes));
  }

  /** A vote for a proposal seen on the network, claimed by a member that did not sign it. */
  PaxosMessage.Accepted forgeVote(PaxosMessage.Accept accept) {
    forged++;
    return new PaxosMessage.Accepted(accept.ballot(), accept.slot(), SlotDigest.of(accept.commands()), garbage(64));
  }

  private Command forgedCommand() {
    forgeries++;
    return new Command("key-" + random.nextInt(8), garbage(8), FORGER, "forged-" + forgeries);
  }

  private ByteString garbage(int bytes) {
    byte[] data = new byte[bytes];
    random.nextBytes(data);
    return ByteString.copyFrom(data);
  }

  private ByteString flip(ByteString signature) {
    if (signature.isEmpty()) {
      return garbage(32);
    }
    byte[] bytes = signature.toByteArray();
    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    return ByteString.copyFrom(bytes);
  }
}
