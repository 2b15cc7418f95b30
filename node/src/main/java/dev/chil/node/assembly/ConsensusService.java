package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.node.runtime.Driver;
import dev.chil.node.runtime.NodeUnavailableException;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.PeerStatus;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    proposeHereOrAtLeader(command).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((answer, error) -> {
      if (error == null) {
        response.onNext(answer);
        response.onCompleted();
      } else {
        response.onError(toStatus(error));
      }
    });
  }

  private CompletableFuture<ProposeResponse> proposeHereOrAtLeader(Command command) {
    return driver.propose(command)
        .thenApply(ConsensusService::toResponse)
        .exceptionallyCompose(error -> {
          Throwable cause = unwrap(error);
          if (cause instanceof NodeUnavailableException unavailable && unavailable.leaderHint() != null) {
            return forwarder.forward(unavailable.leaderHint(), command);
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
    status.get().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((nodeStatus, error) -> {
      if (error != null) {
        response.onError(toStatus(error));
        return;
      }
      StatusResponse.Builder builder = StatusResponse.newBuilder()
          .setNodeId(nodeStatus.nodeId())
          .setRole(nodeStatus.role())
          .setLeader(nodeStatus.leader())
          .setEpoch(nodeStatus.epoch())
          .setCommitIndex(nodeStatus.deliveredUpTo())
          .setAuditHeadIndex(nodeStatus.auditHead().index())
          .setAuditHeadHash(nodeStatus.auditHead().hash());
      for (NodeStatus.PeerStatus peer : nodeStatus.peers()) {
        builder.addPeers(PeerStatus.newBuilder().setNodeId(peer.nodeId()).setAddress(peer.address())
            .setConnected(peer.connected()).setPhi(peer.phi()));
      }
      response.onNext(builder.build());
      response.onCompleted();
    });
  }

  static ProposeResponse toResponse(ProposalResult result) {
    return ProposeResponse.newBuilder()
        .setSuccess(result.success())
        .setValue(result.value() == null ? ByteString.EMPTY : result.value())
        .setSlot(result.slot())
        .setAuditIndex(result.auditIndex())
        .setCertificate(dev.chil.node.codec.CommonCodec.toProto(result.certificate()))
        .build();
  }

  static StatusRuntimeException toStatus(Throwable error) {
    Throwable cause = unwrap(error);
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

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
