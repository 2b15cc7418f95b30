package dev.chil.node.transport;

import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.proto.v1.IdentityServiceGrpc;
import dev.chil.proto.v1.WhoAmIRequest;
import dev.chil.proto.v1.WhoAmIResponse;
import io.grpc.stub.StreamObserver;

/**
 * Answers "who does this node think I am?" from the caller's verified certificate: the first
 * thing to try when setting up certificates for a node or a client.
 */
public final class IdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {

  @Override
  public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> response) {
    Identity caller = AuthenticatedIdentityInterceptor.currentIdentity();
    response.onNext(WhoAmIResponse.newBuilder()
        .setSpiffeId(caller.spiffeId())
        .setCluster(caller.cluster())
        .setRole(caller.role().pathSegment())
        .setName(caller.name())
        .build());
    response.onCompleted();
  }
}
