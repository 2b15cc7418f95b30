package dev.chil.node.codec;

import static dev.chil.node.codec.CommonCodec.commandsFromProto;
import static dev.chil.node.codec.CommonCodec.commandsToProto;
import static dev.chil.node.codec.CommonCodec.requireAtMost;
import static dev.chil.node.codec.CommonCodec.slot;

import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.pbft.CheckpointProof;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.proto.v1.PbftCertified;
import dev.chil.proto.v1.PbftCheckpoint;
import dev.chil.proto.v1.PbftCheckpointProof;
import dev.chil.proto.v1.PbftCommit;
import dev.chil.proto.v1.PbftFetchReply;
import dev.chil.proto.v1.PbftFetchRequest;
import dev.chil.proto.v1.PbftNewView;
import dev.chil.proto.v1.PbftPayload;
import dev.chil.proto.v1.PbftPrePrepare;
import dev.chil.proto.v1.PbftPrepare;
import dev.chil.proto.v1.PbftPreparedCertificate;
import dev.chil.proto.v1.PbftRequest;
import dev.chil.proto.v1.PbftViewChange;
import dev.chil.proto.v1.SignedClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The field-by-field mapping between {@link PbftMessage} records and their protobuf messages;
 * public for the parts the pbft state store keeps in the same form. A client request carries its
 * client's certificate: encoding asks {@link ClientCertificates} for it, decoding hands it over to
 * be checked and remembered. Decoding checks list bounds before converting elements and refuses a
 * missing part (proto3 would hand over a default); the records refuse the rest, all with
 * {@link IllegalArgumentException}.
 */
public final class PbftMessageProtos {
  private final ClientCertificates certificates;

  public PbftMessageProtos(ClientCertificates certificates) {
    this.certificates = Objects.requireNonNull(certificates, "certificates");
  }

  PbftPayload toPayload(PbftMessage message) {
    PbftPayload.Builder payload = PbftPayload.newBuilder();
    if (message instanceof PbftMessage.Request request) {
      payload.setRequest(PbftRequest.newBuilder().setRequest(toProto(request.request())));
    } else if (message instanceof PbftMessage.PrePrepare prePrepare) {
      payload.setPrePrepare(toProto(prePrepare));
    } else if (message instanceof PbftMessage.PbftPrepare prepare) {
      payload.setPrepare(toProto(prepare));
    } else if (message instanceof PbftMessage.Commit commit) {
      payload.setCommit(PbftCommit.newBuilder().setReplica(commit.replica()).setView(commit.view())
          .setSequence(commit.sequence()).setDigest(commit.digest()).setSignature(commit.signature()));
    } else if (message instanceof PbftMessage.Checkpoint checkpoint) {
      payload.setCheckpoint(toProto(checkpoint));
    } else if (message instanceof PbftMessage.ViewChange viewChange) {
      payload.setViewChange(toProto(viewChange));
    } else if (message instanceof PbftMessage.NewView newView) {
      payload.setNewView(toProto(newView));
    } else if (message instanceof PbftMessage.FetchRequest request) {
      payload.setFetchRequest(PbftFetchRequest.newBuilder().setFromSequence(request.fromSequence()));
    } else if (message instanceof PbftMessage.FetchReply reply) {
      PbftFetchReply.Builder proto = PbftFetchReply.newBuilder().setStable(toProto(reply.stable()));
      for (PbftMessage.Certified entry : reply.entries()) {
        proto.addEntries(PbftCertified.newBuilder().setSequence(entry.sequence())
            .addAllCommands(commandsToProto(entry.commands()))
            .setCertificate(CommonCodec.toProto(entry.certificate())));
      }
      payload.setFetchReply(proto);
    } else {
      throw new AssertionError("unknown pbft message " + message);
    }
    return payload.build();
  }

  /** The caller has checked that the payload holds a message. */
  PbftMessage fromPayload(PbftPayload payload) {
    switch (payload.getBodyCase()) {
      case REQUEST:
        if (!payload.getRequest().hasRequest()) {
          throw new IllegalArgumentException("request without a client request");
        }
        return new PbftMessage.Request(fromProto(payload.getRequest().getRequest()));
      case PRE_PREPARE:
        return fromProto(payload.getPrePrepare());
      case PREPARE:
        return fromProto(payload.getPrepare());
      case COMMIT: {
        PbftCommit proto = payload.getCommit();
        return new PbftMessage.Commit(proto.getReplica(), slot(proto.getView(), "view"),
            slot(proto.getSequence(), "sequence"), proto.getDigest(), proto.getSignature());
      }
      case CHECKPOINT:
        return fromProto(payload.getCheckpoint());
      case VIEW_CHANGE:
        return fromProto(payload.getViewChange());
      case NEW_VIEW:
        return fromProto(payload.getNewView());
      case FETCH_REQUEST:
        return new PbftMessage.FetchRequest(slot(payload.getFetchRequest().getFromSequence(), "from sequence"));
      case FETCH_REPLY:
        return fetchReply(payload.getFetchReply());
      default:
        throw new IllegalArgumentException("payload holds no message");
    }
  }

  public SignedClientRequest toProto(ClientRequest request) {
    return SignedClientRequest.newBuilder()
        .setCommand(CommonCodec.toProto(request.command()))
        .setSignature(request.signature())
        .setClientCertificate(certificates.certificateOf(request.command().client()))
        .build();
  }

  /** Hands a carried certificate to be checked and remembered; a request without one is taken as it is. */
  public ClientRequest fromProto(SignedClientRequest proto) {
    if (!proto.hasCommand()) {
      throw new IllegalArgumentException("client request without a command");
    }
    ClientRequest request = new ClientRequest(CommonCodec.fromProto(proto.getCommand()), proto.getSignature());
    if (!proto.getClientCertificate().isEmpty()) {
      certificates.learn(request.command().client(), proto.getClientCertificate());
    }
    return request;
  }

  public PbftPrePrepare toProto(PbftMessage.PrePrepare prePrepare) {
    PbftPrePrepare.Builder proto = PbftPrePrepare.newBuilder().setReplica(prePrepare.replica())
        .setView(prePrepare.view()).setSequence(prePrepare.sequence()).setDigest(prePrepare.digest())
        .setSignature(prePrepare.signature());
    for (ClientRequest request : prePrepare.batch()) {
      proto.addBatch(toProto(request));
    }
    return proto.build();
  }

  public PbftMessage.PrePrepare fromProto(PbftPrePrepare proto) {
    requireAtMost(proto.getBatchCount(), PbftMessage.COMMANDS_MAX, "requests");
    List<ClientRequest> batch = new ArrayList<>(proto.getBatchCount());
    for (SignedClientRequest request : proto.getBatchList()) {
      batch.add(fromProto(request));
    }
    return new PbftMessage.PrePrepare(proto.getReplica(), slot(proto.getView(), "view"),
        slot(proto.getSequence(), "sequence"), batch, proto.getDigest(), proto.getSignature());
  }

  private static PbftPrepare toProto(PbftMessage.PbftPrepare prepare) {
    return PbftPrepare.newBuilder().setReplica(prepare.replica()).setView(prepare.view())
        .setSequence(prepare.sequence()).setDigest(prepare.digest()).setSignature(prepare.signature()).build();
  }

  private static PbftMessage.PbftPrepare fromProto(PbftPrepare proto) {
    return new PbftMessage.PbftPrepare(proto.getReplica(), slot(proto.getView(), "view"),
        slot(proto.getSequence(), "sequence"), proto.getDigest(), proto.getSignature());
  }

  private static PbftCheckpoint toProto(PbftMessage.Checkpoint checkpoint) {
    return PbftCheckpoint.newBuilder().setReplica(checkpoint.replica()).setSequence(checkpoint.sequence())
        .setStateDigest(checkpoint.stateDigest()).setSignature(checkpoint.signature()).build();
  }

  private static PbftMessage.Checkpoint fromProto(PbftCheckpoint proto) {
    return new PbftMessage.Checkpoint(proto.getReplica(), slot(proto.getSequence(), "checkpoint sequence"),
        proto.getStateDigest(), proto.getSignature());
  }

  private static List<PbftMessage.Checkpoint> checkpoints(List<PbftCheckpoint> protos) {
    requireAtMost(protos.size(), PbftMessage.ENTRIES_MAX, "checkpoints");
    List<PbftMessage.Checkpoint> checkpoints = new ArrayList<>(protos.size());
    for (PbftCheckpoint proto : protos) {
      checkpoints.add(fromProto(proto));
    }
    return checkpoints;
  }

  public PbftPreparedCertificate toProto(PbftMessage.PreparedCertificate certificate) {
    PbftPreparedCertificate.Builder proto = PbftPreparedCertificate.newBuilder()
        .setPrePrepare(toProto(certificate.prePrepare()));
    for (PbftMessage.PbftPrepare prepare : certificate.prepares()) {
      proto.addPrepares(toProto(prepare));
    }
    return proto.build();
  }

  public PbftMessage.PreparedCertificate fromProto(PbftPreparedCertificate proto) {
    if (!proto.hasPrePrepare()) {
      throw new IllegalArgumentException("prepared certificate without a pre-prepare");
    }
    requireAtMost(proto.getPreparesCount(), PbftMessage.ENTRIES_MAX, "prepares");
    List<PbftMessage.PbftPrepare> prepares = new ArrayList<>(proto.getPreparesCount());
    for (PbftPrepare prepare : proto.getPreparesList()) {
      prepares.add(fromProto(prepare));
    }
    return new PbftMessage.PreparedCertificate(fromProto(proto.getPrePrepare()), prepares);
  }

  public PbftViewChange toProto(PbftMessage.ViewChange viewChange) {
    PbftViewChange.Builder proto = PbftViewChange.newBuilder().setReplica(viewChange.replica())
        .setNewView(viewChange.newView()).setStableSequence(viewChange.stableSequence())
        .setStableDigest(viewChange.stableDigest()).setSignature(viewChange.signature());
    for (PbftMessage.Checkpoint checkpoint : viewChange.checkpointProof()) {
      proto.addCheckpointProof(toProto(checkpoint));
    }
    for (PbftMessage.PreparedCertificate certificate : viewChange.prepared()) {
      proto.addPrepared(toProto(certificate));
    }
    return proto.build();
  }

  public PbftMessage.ViewChange fromProto(PbftViewChange proto) {
    requireAtMost(proto.getPreparedCount(), PbftMessage.ENTRIES_MAX, "prepared certificates");
    List<PbftMessage.Checkpoint> checkpointProof = checkpoints(proto.getCheckpointProofList());
    List<PbftMessage.PreparedCertificate> prepared = new ArrayList<>(proto.getPreparedCount());
    for (PbftPreparedCertificate certificate : proto.getPreparedList()) {
      prepared.add(fromProto(certificate));
    }
    return new PbftMessage.ViewChange(proto.getReplica(), slot(proto.getNewView(), "new view"),
        slot(proto.getStableSequence(), "stable sequence"), proto.getStableDigest(), checkpointProof, prepared,
        proto.getSignature());
  }

  public PbftNewView toProto(PbftMessage.NewView newView) {
    PbftNewView.Builder proto = PbftNewView.newBuilder().setReplica(newView.replica()).setView(newView.view())
        .setSignature(newView.signature());
    for (PbftMessage.ViewChange viewChange : newView.viewChanges()) {
      proto.addViewChanges(toProto(viewChange));
    }
    for (PbftMessage.PrePrepare prePrepare : newView.prePrepares()) {
      proto.addPrePrepares(toProto(prePrepare));
    }
    return proto.build();
  }

  public PbftMessage.NewView fromProto(PbftNewView proto) {
    requireAtMost(proto.getViewChangesCount(), PbftMessage.ENTRIES_MAX, "view changes");
    requireAtMost(proto.getPrePreparesCount(), PbftMessage.ENTRIES_MAX, "pre-prepares");
    List<PbftMessage.ViewChange> viewChanges = new ArrayList<>(proto.getViewChangesCount());
    for (PbftViewChange viewChange : proto.getViewChangesList()) {
      viewChanges.add(fromProto(viewChange));
    }
    List<PbftMessage.PrePrepare> prePrepares = new ArrayList<>(proto.getPrePreparesCount());
    for (PbftPrePrepare prePrepare : proto.getPrePreparesList()) {
      prePrepares.add(fromProto(prePrepare));
    }
    return new PbftMessage.NewView(proto.getReplica(), slot(proto.getView(), "view"), viewChanges, prePrepares,
        proto.getSignature());
  }

  public static PbftCheckpointProof toProto(CheckpointProof proof) {
    PbftCheckpointProof.Builder proto = PbftCheckpointProof.newBuilder().setSequence(proof.sequence())
        .setStateDigest(proof.stateDigest());
    for (PbftMessage.Checkpoint checkpoint : proof.checkpoints()) {
      proto.addCheckpoints(toProto(checkpoint));
    }
    return proto.build();
  }

  public static CheckpointProof fromProto(PbftCheckpointProof proto) {
    return new CheckpointProof(slot(proto.getSequence(), "checkpoint sequence"), proto.getStateDigest(),
        checkpoints(proto.getCheckpointsList()));
  }

  private static PbftMessage.FetchReply fetchReply(PbftFetchReply proto) {
    if (!proto.hasStable()) {
      throw new IllegalArgumentException("fetch reply without a stable checkpoint");
    }
    requireAtMost(proto.getEntriesCount(), PbftMessage.ENTRIES_MAX, "entries");
    List<PbftMessage.Certified> entries = new ArrayList<>(proto.getEntriesCount());
    for (PbftCertified entry : proto.getEntriesList()) {
      if (!entry.hasCertificate()) {
        throw new IllegalArgumentException("fetched sequence without a certificate");
      }
      entries.add(new PbftMessage.Certified(slot(entry.getSequence(), "fetched sequence"),
          commandsFromProto(entry.getCommandsList(), "fetched commands"), CommonCodec.fromProto(entry.getCertificate())));
    }
    return new PbftMessage.FetchReply(entries, fromProto(proto.getStable()));
  }
}
