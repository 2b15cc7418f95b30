package dev.chil.node.assembly;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.CommandOutcome;
import dev.chil.audit.chain.MerkleTree;
import dev.chil.audit.chain.ReadStatement;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Role;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.node.testing.FreePorts;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.InclusionProof;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.ResultProof;
import dev.chil.proto.v1.RosterRequest;
import dev.chil.proto.v1.RosterResponse;
import dev.chil.proto.v1.Vote;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A test-only liar: it serves clients with a roster member's real certificate and key, relays
 * each call to a correct node, and alters the answer before passing it on, re-signing what it
 * changed with its own key, as a Byzantine node that holds its key can: the proposal's result
 * turned into a refusal with another value, the read's value replaced. Everything it cannot
 * forge (the other replicas' signatures) it leaves out.
 */
final class ForgingNode implements AutoCloseable {
  private static final ByteString FORGED = ByteString.copyFromUtf8("forged by one node");

  private final Server server;

  private ForgingNode(Server server) {
    this.server = server;
  }

  /**
   * @param as the member whose credentials the liar holds
   * @param relayTo the correct node whose answers it alters
   * @param client the credentials it relays with (a node's may not call the client service)
   */
  static ForgingNode start(TestCluster cluster, String as, String relayTo, Credentials client) throws Exception {
    Credentials liar = cluster.credentials(as);
    ConsensusServiceGrpc.ConsensusServiceBlockingStub honest = cluster.client(relayTo, client);
    ConsensusServiceGrpc.ConsensusServiceImplBase lies = new ConsensusServiceGrpc.ConsensusServiceImplBase() {
      @Override
      public void roster(RosterRequest request, StreamObserver<RosterResponse> response) {
        relay(() -> honest.roster(request), response);
      }

      @Override
      public void propose(ProposeRequest request, StreamObserver<ProposeResponse> response) {
        relay(() -> forgedResult(honest.withDeadlineAfter(20, TimeUnit.SECONDS).propose(request), request, client, liar),
            response);
      }

      @Override
      public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
        relay(() -> forgedRead(request.getKey(), liar), response);
      }
    };
    ClusterTrust trust = ClusterTrust.load(TestCluster.CLUSTER, cluster.caFile());
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", FreePorts.next()))
        .sslContext(TlsContexts.server(liar, trust, Clock.systemUTC()))
        .addService(ServerInterceptors.intercept(lies, AuthenticatedIdentityInterceptor.allowing(TestCluster.CLUSTER, Role.CLIENT)))
        .build()
        .start();
    return new ForgingNode(server);
  }

  int port() {
    return server.getPort();
  }

  /** The genuine answer, with its result made a refusal standing at another value, signed by the liar alone. */
  private static ProposeResponse forgedResult(ProposeResponse genuine, ProposeRequest request, Credentials client,
      Credentials liar) {
    Command command = new Command(request.getKey(), request.getValue(), client.identity().spiffeId(), request.getRequestId());
    InclusionProof inclusion = genuine.getInclusion();
    ByteString commandsRoot = MerkleTree.rootFromPath(SlotDigest.leafHash(command), inclusion.getIndex(),
        inclusion.getCount(), inclusion.getPathList()).orElseThrow();
    ByteString forgedLeaf = CommandOutcome.applied(false, FORGED).leafHash();
    ByteString forgedRoot = MerkleTree.rootFromPath(forgedLeaf, inclusion.getIndex(), inclusion.getCount(),
        genuine.getResult().getPathList()).orElseThrow();
    ResultStatement statement = new ResultStatement(genuine.getSlot(),
        SlotDigest.ofRoot(inclusion.getCount(), commandsRoot), forgedRoot);
    return genuine.toBuilder().setSuccess(false).setValue(FORGED)
        .setResult(ResultProof.newBuilder().setResultsRoot(forgedRoot).addAllPath(genuine.getResult().getPathList())
            .addVotes(vote(liar, ResultStatement.MESSAGE_TYPE, statement.payload())))
        .build();
  }

  private static ReadResponse forgedRead(String key, Credentials liar) {
    ReadStatement statement = ReadStatement.of(key, true, FORGED, 1);
    return ReadResponse.newBuilder().setFound(true).setValue(FORGED).setSlot(1)
        .addVotes(vote(liar, ReadStatement.MESSAGE_TYPE, statement.payload())).build();
  }

  private static Vote vote(Credentials signer, String messageType, byte[] payload) {
    return Vote.newBuilder().setSigner(signer.identity().name())
        .setSignature(ByteString.copyFrom(signer.signer().sign(messageType, payload))).build();
  }

  private interface Answer<T> {
    T get() throws Exception;
  }

  private static <T> void relay(Answer<T> answer, StreamObserver<T> response) {
    try {
      response.onNext(answer.get());
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    } catch (Exception e) {
      response.onError(io.grpc.Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
