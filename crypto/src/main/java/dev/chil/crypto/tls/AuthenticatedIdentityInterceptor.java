package dev.chil.crypto.tls;

import dev.chil.crypto.CertificateIdentity;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.SecurityEvents;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the caller's identity, read from its verified TLS certificate, into the gRPC
 * {@link Context}, and refuses the call with UNAUTHENTICATED when there is none, or
 * PERMISSION_DENIED when its role may not call this service. Handlers read the caller only
 * through {@link #currentIdentity()}.
 */
public final class AuthenticatedIdentityInterceptor implements ServerInterceptor {
  private static final Context.Key<Identity> IDENTITY = Context.key("chil-authenticated-identity");

  private final String cluster;
  private final Set<Role> allowedRoles;
  private final boolean claimsTrusted;

  private AuthenticatedIdentityInterceptor(String cluster, Set<Role> allowedRoles, boolean claimsTrusted) {
    this.cluster = cluster;
    this.allowedRoles = EnumSet.copyOf(allowedRoles);
    this.claimsTrusted = claimsTrusted;
  }

  /** Lets through callers of this cluster in the given roles only, identified by their certificate. */
  public static AuthenticatedIdentityInterceptor allowing(String cluster, Role first, Role... rest) {
    return new AuthenticatedIdentityInterceptor(cluster, EnumSet.of(first, rest), false);
  }

  /**
   * Development without TLS only: takes the identity a caller claims in {@link ClaimedIdentity#HEADER}
   * at its word. Roles and cluster are still checked, and peers' messages are still signed.
   */
  public static AuthenticatedIdentityInterceptor trustingClaimsForDevelopment(String cluster, Role first, Role... rest) {
    return new AuthenticatedIdentityInterceptor(cluster, EnumSet.of(first, rest), true);
  }

  /**
   * The identity of the caller of the current call.
   *
   * @throws IllegalStateException outside a call that passed this interceptor
   */
  public static Identity currentIdentity() {
    Identity identity = IDENTITY.get();
    if (identity == null) {
      throw new IllegalStateException("no authenticated identity in this gRPC context");
    }
    return identity;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    String remote = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Identity identity;
    try {
      identity = claimsTrusted
          ? claimed(headers.get(ClaimedIdentity.HEADER))
          : identityOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (CertificateRejectedException e) {
      SecurityEvents.callRefused(method, remote, e.getMessage());
      call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (!identity.cluster().equals(cluster)) {
      // The handshake already refuses other clusters; this is the second lock on the same door.
      String reason = identity + " is not of cluster '" + cluster + "'";
      SecurityEvents.callRefused(method, remote, reason);
      call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (!allowedRoles.contains(identity.role())) {
      String reason = identity + " is a " + identity.role().pathSegment()
          + "; this service is for " + allowedRoles;
      SecurityEvents.callRefused(method, remote, reason);
      call.close(Status.PERMISSION_DENIED.withDescription(reason), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(IDENTITY, identity), call, headers, next);
  }

  private static Identity claimed(String spiffeId) throws CertificateRejectedException {
    if (spiffeId == null) {
      throw new CertificateRejectedException("the call claims no identity (header " + ClaimedIdentity.HEADER.name() + ")");
    }
    try {
      return Identity.parse(spiffeId);
    } catch (IllegalArgumentException e) {
      throw new CertificateRejectedException("the claimed identity is malformed: " + e.getMessage(), e);
    }
  }

  private static Identity identityOf(SSLSession session) throws CertificateRejectedException {
    if (session == null) {
      throw new CertificateRejectedException("the call did not arrive over TLS");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateRejectedException("the caller presented no verified certificate");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new CertificateRejectedException("the caller presented no X.509 certificate");
    }
    // The chain was verified by ClusterTrustManager during the handshake; this only reads it.
    return CertificateIdentity.of(leaf);
  }
}
