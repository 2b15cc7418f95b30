package dev.chil.node.codec;

import static dev.chil.node.codec.CommonCodec.commandsFromProto;
import static dev.chil.node.codec.CommonCodec.commandsToProto;
import static dev.chil.node.codec.CommonCodec.requireAtMost;
import static dev.chil.node.codec.CommonCodec.slot;

import dev.chil.audit.chain.VoteStatement;
import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.proto.v1.PaxosPayload;
import java.util.ArrayList;
import java.util.List;

/**
 * The field-by-field mapping between {@link PaxosMessage} records and their protobuf messages;
 * public for ballots and accepted entries, which storage keeps in the same form.
 * Decoding checks list bounds before converting elements and refuses a missing ballot or
 * certificate (proto3 would otherwise hand over a default); the records refuse the rest.
 */
public final class PaxosMessageProtos {
  private PaxosMessageProtos() {}

  static PaxosPayload toPayload(PaxosMessage message) {
    PaxosPayload.Builder payload = PaxosPayload.newBuilder();
    if (message instanceof PaxosMessage.Prepare prepare) {
      payload.setPrepare(dev.chil.proto.v1.Prepare.newBuilder()
          .setBallot(toProto(prepare.ballot()))
          .setFromSlot(prepare.fromSlot()));
    } else if (message instanceof PaxosMessage.Promise promise) {
      dev.chil.proto.v1.Promise.Builder proto = dev.chil.proto.v1.Promise.newBuilder()
          .setBallot(toProto(promise.ballot()))
          .setRetainedFromSlot(promise.retainedFromSlot());
      for (AcceptedEntry entry : promise.accepted()) {
        proto.addAccepted(toProto(entry));
      }
      payload.setPromise(proto);
    } else if (message instanceof PaxosMessage.Accept accept) {
      payload.setAccept(dev.chil.proto.v1.Accept.newBuilder()
          .setBallot(toProto(accept.ballot()))
          .setSlot(accept.slot())
          .addAllCommands(commandsToProto(accept.commands())));
    } else if (message instanceof PaxosMessage.Accepted accepted) {
      payload.setAccepted(dev.chil.proto.v1.Accepted.newBuilder()
          .setBallot(toProto(accepted.ballot()))
          .setSlot(accepted.slot())
          .setDigest(accepted.digest())
          .setSignature(accepted.signature()));
    } else if (message instanceof PaxosMessage.Decide decide) {
      payload.setDecide(toProto(decide));
    } else if (message instanceof PaxosMessage.Nack nack) {
      payload.setNack(dev.chil.proto.v1.Nack.newBuilder()
          .setBallot(toProto(nack.ballot()))
          .setPromised(toProto(nack.promised())));
    } else if (message instanceof PaxosMessage.Heartbeat heartbeat) {
      payload.setHeartbeat(dev.chil.proto.v1.Heartbeat.newBuilder()
          .setBallot(toProto(heartbeat.ballot()))
          .setDeliveredUpTo(heartbeat.deliveredUpTo()));
    } else if (message instanceof PaxosMessage.CatchUpRequest request) {
      payload.setCatchUpRequest(dev.chil.proto.v1.CatchUpRequest.newBuilder().setFromSlot(request.fromSlot()));
    } else if (message instanceof PaxosMessage.CatchUpReply reply) {
      dev.chil.proto.v1.CatchUpReply.Builder proto = dev.chil.proto.v1.CatchUpReply.newBuilder();
      for (PaxosMessage.Decide decide : reply.decisions()) {
        proto.addDecisions(toProto(decide));
      }
      payload.setCatchUpReply(proto);
    } else {
      throw new AssertionError("unknown paxos message " + message);
    }
    return payload.build();
  }

  /** The caller has checked that the payload holds a message. */
  static PaxosMessage fromPayload(PaxosPayload payload) {
    switch (payload.getBodyCase()) {
      case PREPARE: {
        dev.chil.proto.v1.Prepare proto = payload.getPrepare();
        return new PaxosMessage.Prepare(
            ballot(proto.hasBallot(), proto.getBallot(), "ballot"), slot(proto.getFromSlot(), "from slot"));
      }
      case PROMISE:
        return promise(payload.getPromise());
      case ACCEPT: {
        dev.chil.proto.v1.Accept proto = payload.getAccept();
        return new PaxosMessage.Accept(
            ballot(proto.hasBallot(), proto.getBallot(), "ballot"),
            slot(proto.getSlot(), "slot"),
            commandsFromProto(proto.getCommandsList(), "commands"));
      }
      case ACCEPTED:
        return accepted(payload.getAccepted());
      case DECIDE:
        return decide(payload.getDecide());
      case NACK: {
        dev.chil.proto.v1.Nack proto = payload.getNack();
        return new PaxosMessage.Nack(
            ballot(proto.hasBallot(), proto.getBallot(), "ballot"),
            ballot(proto.hasPromised(), proto.getPromised(), "promised ballot"));
      }
      case HEARTBEAT: {
        dev.chil.proto.v1.Heartbeat proto = payload.getHeartbeat();
        return new PaxosMessage.Heartbeat(
            ballot(proto.hasBallot(), proto.getBallot(), "ballot"),
            slot(proto.getDeliveredUpTo(), "delivered-up-to slot"));
      }
      case CATCH_UP_REQUEST:
        return new PaxosMessage.CatchUpRequest(slot(payload.getCatchUpRequest().getFromSlot(), "from slot"));
      case CATCH_UP_REPLY:
        return catchUpReply(payload.getCatchUpReply());
      default:
        throw new IllegalArgumentException("payload holds no message");
    }
  }

  public static dev.chil.proto.v1.Ballot toProto(Ballot ballot) {
    return dev.chil.proto.v1.Ballot.newBuilder().setRound(ballot.round()).setNode(ballot.node()).build();
  }

  public static Ballot fromProto(dev.chil.proto.v1.Ballot ballot) {
    return new Ballot(slot(ballot.getRound(), "ballot round"), ballot.getNode());
  }

  public static dev.chil.proto.v1.AcceptedEntry toProto(AcceptedEntry entry) {
    return dev.chil.proto.v1.AcceptedEntry.newBuilder()
        .setSlot(entry.slot())
        .setBallot(toProto(entry.ballot()))
        .addAllCommands(commandsToProto(entry.commands()))
        .build();
  }

  public static AcceptedEntry fromProto(dev.chil.proto.v1.AcceptedEntry entry) {
    return new AcceptedEntry(
        slot(entry.getSlot(), "accepted slot"),
        ballot(entry.hasBallot(), entry.getBallot(), "accepted ballot"),
        commandsFromProto(entry.getCommandsList(), "accepted commands"));
  }

  private static Ballot ballot(boolean present, dev.chil.proto.v1.Ballot ballot, String what) {
    if (!present) {
      throw new IllegalArgumentException("missing " + what);
    }
    return fromProto(ballot);
  }

  private static PaxosMessage.Promise promise(dev.chil.proto.v1.Promise proto) {
    requireAtMost(proto.getAcceptedCount(), PaxosMessage.ENTRIES_MAX, "accepted entries");
    List<AcceptedEntry> accepted = new ArrayList<>(proto.getAcceptedCount());
    for (dev.chil.proto.v1.AcceptedEntry entry : proto.getAcceptedList()) {
      accepted.add(fromProto(entry));
    }
    return new PaxosMessage.Promise(
        ballot(proto.hasBallot(), proto.getBallot(), "ballot"),
        slot(proto.getRetainedFromSlot(), "retained-from slot"),
        accepted);
  }

  private static PaxosMessage.Accepted accepted(dev.chil.proto.v1.Accepted proto) {
    // The record takes any digest; a vote's statement takes only a SHA-256, so refuse others here.
    if (proto.getDigest().size() != VoteStatement.DIGEST_BYTES) {
      throw new IllegalArgumentException(
          "digest must be " + VoteStatement.DIGEST_BYTES + " bytes, not " + proto.getDigest().size());
    }
    return new PaxosMessage.Accepted(
        ballot(proto.hasBallot(), proto.getBallot(), "ballot"),
        slot(proto.getSlot(), "slot"),
        proto.getDigest(),
        proto.getSignature());
  }

  private static dev.chil.proto.v1.Decide toProto(PaxosMessage.Decide decide) {
    return dev.chil.proto.v1.Decide.newBuilder()
        .setSlot(decide.slot())
        .addAllCommands(commandsToProto(decide.commands()))
        .setCertificate(CommonCodec.toProto(decide.certificate()))
        .build();
  }

  private static PaxosMessage.Decide decide(dev.chil.proto.v1.Decide proto) {
    if (!proto.hasCertificate()) {
      throw new IllegalArgumentException("decide without a certificate");
    }
    return new PaxosMessage.Decide(
        slot(proto.getSlot(), "slot"),
        commandsFromProto(proto.getCommandsList(), "commands"),
        CommonCodec.fromProto(proto.getCertificate()));
  }

  private static PaxosMessage.CatchUpReply catchUpReply(dev.chil.proto.v1.CatchUpReply proto) {
    requireAtMost(proto.getDecisionsCount(), PaxosMessage.ENTRIES_MAX, "decisions");
    List<PaxosMessage.Decide> decisions = new ArrayList<>(proto.getDecisionsCount());
    for (dev.chil.proto.v1.Decide decide : proto.getDecisionsList()) {
      decisions.add(decide(decide));
    }
    return new PaxosMessage.CatchUpReply(decisions);
  }
}
