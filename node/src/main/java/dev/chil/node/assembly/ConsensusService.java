package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.node.codec.CommonCodec;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.NodeUnavailableException;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.transport.GrpcReplies;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.PeerStatus;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What clients call. The proposer's identity is the SPIFFE id of its certificate, never a field of
 * the request. A follower hands a proposal to the leader it knows and relays the answer.
 */
final class ConsensusService extends ConsensusServiceGrpc.ConsensusServiceImplBase {
  private final Driver driver;
  private final Forwarder forwarder;
  private final Supplier<CompletableFuture<NodeStatus>> status;
  private final Duration timeout;

  ConsensusService(Driver driver, Forwarder forwarder, Supplier<CompletableFuture<NodeStatus>> status, Duration timeout) {
    this.driver = driver;
    this.forwarder = forwarder;
    this.status = status;
    this.timeout = timeout;
  }

  @Override
  public void propose(ProposeRequest request, StreamObserver<ProposeResponse> response) {
    Identity caller = AuthenticatedIdentityInterceptor.currentIdentity();
    Command command;
    try {
      command = new Command(request.getKey(), request.getValue(), caller.spiffeId(), request.getRequestId());
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    GrpcReplies.reply(proposeHereOrAtLeader(command).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS), response,
        ConsensusService::toStatus);
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
    if (request.getKey().isEmpty()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("key is empty").asRuntimeException());
      return;
    }
    CompletableFuture<ReadResponse> answer = readHere(driver, request.getKey())
        .exceptionallyCompose(error -> {
          Throwable cause = GrpcReplies.unwrap(error);
          if (cause instanceof NodeUnavailableException unavailable && unavailable.leaderHint() != null) {
            return forwarder.forwardRead(unavailable.leaderHint(), request.getKey());
          }
          return CompletableFuture.failedFuture(cause);
        });
    GrpcReplies.reply(answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS), response, ConsensusService::toStatus);
  }

  /** A linearizable read on this node's driver, which succeeds only where the leader is. */
  static CompletableFuture<ReadResponse> readHere(Driver driver, String key) {
    return driver.read(key).thenApply(entry -> entry
        .map(found -> ReadResponse.newBuilder().setFound(true).setValue(found.value()).setSlot(found.slot()).build())
        .orElse(ReadResponse.newBuilder().setFound(false).build()));
  }

  private CompletableFuture<ProposeResponse> proposeHereOrAtLeader(Command command) {
    return driver.propose(command)
        .thenApply(ConsensusService::toResponse)
        .exceptionallyCompose(error -> {
          Throwable cause = GrpcReplies.unwrap(error);
          if (cause instanceof NodeUnavailableException unavailable && unavailable.leaderHint() != null) {
            return forwarder.forward(unavailable.leaderHint(), command);
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
    GrpcReplies.reply(status.get().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(ConsensusService::toProto),
        response, ConsensusService::toStatus);
  }

  private static StatusResponse toProto(NodeStatus nodeStatus) {
    StatusResponse.Builder builder = StatusResponse.newBuilder()
        .setNodeId(nodeStatus.nodeId())
        .setRole(nodeStatus.role())
        .setLeader(nodeStatus.leader())
        .setEpoch(nodeStatus.epoch())
        .setCommitIndex(nodeStatus.deliveredUpTo())
        .setAuditHeadIndex(nodeStatus.auditHead().index())
        .setAuditHeadHash(nodeStatus.auditHead().hash())
        .setLagging(nodeStatus.lagging())
        .setSlotsBehind(nodeStatus.slotsBehind());
    for (NodeStatus.PeerStatus peer : nodeStatus.peers()) {
      builder.addPeers(PeerStatus.newBuilder().setNodeId(peer.nodeId()).setAddress(peer.address())
          .setConnected(peer.connected()).setPhi(peer.phi()));
    }
    return builder.build();
  }

  static ProposeResponse toResponse(ProposalResult result) {
    return ProposeResponse.newBuilder()
        .setSuccess(result.success())
        .setValue(result.value() == null ? ByteString.EMPTY : result.value())
        .setSlot(result.slot())
        .setAuditIndex(result.auditIndex())
        .setCertificate(CommonCodec.toProto(result.certificate()))
        .build();
  }

  static StatusRuntimeException toStatus(Throwable error) {
    Throwable cause = GrpcReplies.unwrap(error);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof NodeUnavailableException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
    }
    if (cause instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription("not decided in time; retry with the same request id")
          .asRuntimeException();
    }
    return Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asRuntimeException();
  }
}
