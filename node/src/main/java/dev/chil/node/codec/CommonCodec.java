package dev.chil.node.codec;

import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.PaxosMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands, quorum certificates and decisions to and from their protobuf form, for every protocol,
 * the client service and storage. Decoding refuses what the records refuse, and more, always with
 * {@link IllegalArgumentException}: a uint64 above {@link Long#MAX_VALUE} (it would read as a
 * negative slot), a list longer than its bound (checked before any element is converted).
 */
public final class CommonCodec {
  /** The most commands one slot holds; the same bound as the Paxos messages that carry a slot. */
  public static final int COMMANDS_MAX = PaxosMessage.COMMANDS_MAX;
  /** A certificate holds at most one vote per roster member. */
  public static final int VOTES_MAX = Roster.MEMBERS_MAX;

  private CommonCodec() {}

  public static dev.chil.proto.v1.Command toProto(Command command) {
    return dev.chil.proto.v1.Command.newBuilder()
        .setKey(command.key())
        .setValue(command.value())
        .setClient(command.client())
        .setRequestId(command.requestId())
        .build();
  }

  public static Command fromProto(dev.chil.proto.v1.Command command) {
    return new Command(command.getKey(), command.getValue(), command.getClient(), command.getRequestId());
  }

  public static List<dev.chil.proto.v1.Command> commandsToProto(List<Command> commands) {
    List<dev.chil.proto.v1.Command> protos = new ArrayList<>(commands.size());
    for (Command command : commands) {
      protos.add(toProto(command));
    }
    return protos;
  }

  /** @param what names the list in the error, e.g. "commands" */
  public static List<Command> commandsFromProto(List<dev.chil.proto.v1.Command> protos, String what) {
    requireAtMost(protos.size(), COMMANDS_MAX, what);
    List<Command> commands = new ArrayList<>(protos.size());
    for (dev.chil.proto.v1.Command proto : protos) {
      commands.add(fromProto(proto));
    }
    return commands;
  }

  public static dev.chil.proto.v1.QuorumCertificate toProto(QuorumCertificate certificate) {
    VoteStatement statement = certificate.statement();
    dev.chil.proto.v1.QuorumCertificate.Builder builder = dev.chil.proto.v1.QuorumCertificate.newBuilder()
        .setSlot(statement.slot())
        .setEpoch(statement.epoch())
        .setDigest(statement.digest());
    for (Vote vote : certificate.votes()) {
      builder.addVotes(dev.chil.proto.v1.Vote.newBuilder().setSigner(vote.signer()).setSignature(vote.signature()));
    }
    return builder.build();
  }

  /** Checks the shape only; whether the votes verify against the roster is the protocol's check. */
  public static QuorumCertificate fromProto(dev.chil.proto.v1.QuorumCertificate certificate) {
    requireAtMost(certificate.getVotesCount(), VOTES_MAX, "votes");
    VoteStatement statement = new VoteStatement(
        slot(certificate.getSlot(), "certificate slot"), certificate.getEpoch(), certificate.getDigest());
    List<Vote> votes = new ArrayList<>(certificate.getVotesCount());
    for (dev.chil.proto.v1.Vote vote : certificate.getVotesList()) {
      votes.add(new Vote(vote.getSigner(), vote.getSignature()));
    }
    return new QuorumCertificate(statement, votes);
  }

  public static dev.chil.proto.v1.Decision toProto(Decision decision) {
    return dev.chil.proto.v1.Decision.newBuilder()
        .setSlot(decision.slot())
        .addAllCommands(commandsToProto(decision.commands()))
        .setCertificate(toProto(decision.certificate()))
        .addAllToApply(commandsToProto(decision.toApply()))
        .build();
  }

  public static Decision fromProto(dev.chil.proto.v1.Decision decision) {
    if (!decision.hasCertificate()) {
      throw new IllegalArgumentException("decision without a certificate");
    }
    return new Decision(
        slot(decision.getSlot(), "slot"),
        commandsFromProto(decision.getCommandsList(), "commands"),
        fromProto(decision.getCertificate()),
        commandsFromProto(decision.getToApplyList(), "commands to apply"));
  }

  /**
   * A protobuf uint64 as a slot (or round). Java reads uint64 into a signed long, so values of
   * 2^63 and above arrive negative; they are refused here with the number the sender meant.
   */
  public static long slot(long uint64, String what) {
    if (uint64 < 0) {
      throw new IllegalArgumentException(what + " " + Long.toUnsignedString(uint64) + " is above " + Long.MAX_VALUE);
    }
    return uint64;
  }

  static void requireAtMost(int count, int max, String what) {
    if (count > max) {
      throw new IllegalArgumentException("at most " + max + " " + what + ", not " + count);
    }
  }
}
