package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SecurityEvents;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.transport.ClientKeys;
import dev.chil.node.transport.GrpcReplies;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.PeerStatus;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.RosterRequest;
import dev.chil.proto.v1.RosterResponse;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What clients call. The proposer's identity is the SPIFFE id of its certificate, never a field of
 * the request. A request that can never succeed is refused here (INVALID_ARGUMENT); the rest go
 * where the leader is, waiting for one within the call's deadline ({@link ClientCalls}). Which
 * code means what is listed in {@code client.proto}.
 */
final class ConsensusService extends ConsensusServiceGrpc.ConsensusServiceImplBase {
  private final ClientCalls calls;
  private final ClientLimits limits;
  private final Supplier<CompletableFuture<NodeStatus>> status;
  private final Duration timeout;
  private final String cluster;
  /** Present when the core takes only requests their clients signed (pbft): what checks the signatures. */
  private final Optional<ClientKeys> clientKeys;
  private final String signedRoster;

  ConsensusService(ClientCalls calls, ClientLimits limits, Supplier<CompletableFuture<NodeStatus>> status,
      Duration timeout, String cluster, Optional<ClientKeys> clientKeys, String signedRoster) {
    this.signedRoster = signedRoster;
    this.calls = calls;
    this.limits = limits;
    this.status = status;
    this.timeout = timeout;
    this.cluster = cluster;
    this.clientKeys = clientKeys;
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
    Optional<String> tooLarge = limits.problem(command);
    if (tooLarge.isPresent()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(tooLarge.get()).asRuntimeException());
      return;
    }
    if (clientKeys.isEmpty()) {
      GrpcReplies.reply(endedWithTheCall(calls.propose(command, true)), response, ClientStatus::of);
      return;
    }
    ClientRequest signed;
    try {
      signed = signedRequest(request, command, clientKeys.get());
    } catch (StatusRuntimeException e) {
      SecurityEvents.requestRefused(caller.spiffeId(), command.requestId(), e.getStatus().getDescription());
      response.onError(e);
      return;
    }
    GrpcReplies.reply(endedWithTheCall(calls.proposeSigned(signed)), response, ClientStatus::of);
  }

  /**
   * The client's signed request, checked here on the gRPC thread: its certificate is one of the
   * cluster CA's for the calling client, and its signature covers exactly this command. A node
   * never signs for a client, so a request that does not verify is refused, never repaired.
   */
  private ClientRequest signedRequest(ProposeRequest request, Command command, ClientKeys keys) {
    if (request.getSignature().isEmpty() || request.getClientCertificate().isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("this cluster runs pbft: a proposal must carry its client's"
          + " signature and certificate (signature, client_certificate; chil propose signs with --key)")
          .asRuntimeException();
    }
    ClientRequest signed;
    try {
      signed = new ClientRequest(command, request.getSignature());
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    try {
      keys.learn(command.client(), request.getClientCertificate());
    } catch (IllegalArgumentException e) {
      throw Status.UNAUTHENTICATED.withDescription(e.getMessage()).asRuntimeException();
    }
    Optional<String> problem = signed.problem(cluster, keys);
    if (problem.isPresent()) {
      throw Status.UNAUTHENTICATED.withDescription(problem.get()).asRuntimeException();
    }
    return signed;
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
    Optional<String> badKey = Command.keyProblem(request.getKey());
    if (badKey.isPresent()) {
      // Refused here, as a proposal's key is: no node could ever hold such a key.
      response.onError(Status.INVALID_ARGUMENT.withDescription(badKey.get()).asRuntimeException());
      return;
    }
    CompletableFuture<ReadResponse> answer = clientKeys.isPresent()
        ? calls.readSigned(request.getKey()) : calls.read(request.getKey(), true);
    GrpcReplies.reply(endedWithTheCall(answer), response, ClientStatus::of);
  }

  @Override
  public void roster(RosterRequest request, StreamObserver<RosterResponse> response) {
    response.onNext(RosterResponse.newBuilder().setSignedRoster(signedRoster).build());
    response.onCompleted();
  }

  /** A client that cancels its call, or goes away, ends what the call waits on. */
  private static <T> CompletableFuture<T> endedWithTheCall(CompletableFuture<T> answer) {
    Context.current().addListener(context -> answer.cancel(false), Runnable::run);
    return answer;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
    GrpcReplies.reply(status.get().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(ConsensusService::toProto),
        response, ClientStatus::of);
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
}
