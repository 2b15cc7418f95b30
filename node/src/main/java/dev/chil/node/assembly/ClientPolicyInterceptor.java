package dev.chil.node.assembly;

import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.node.policy.ClientGate;
import dev.chil.node.policy.Operation;
import dev.chil.node.policy.Refusal;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ReadRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The node's policy on the consensus service, behind the interceptor that authenticates the
 * caller. When a call arrives, before its request is read: the deny list, then the rate limits;
 * once the request is there, its sizes and the access rules. A refused call never reaches the
 * service: UNAUTHENTICATED (denied certificate), RESOURCE_EXHAUSTED with {@link #RETRY_AFTER_MS}
 * (over a rate), PERMISSION_DENIED naming the access rule, INVALID_ARGUMENT (too large). Fails
 * closed: a method it does not know is refused.
 */
final class ClientPolicyInterceptor implements ServerInterceptor {
  /** On RESOURCE_EXHAUSTED from a rate limit: milliseconds until a retry can pass, in decimal. */
  static final Metadata.Key<String> RETRY_AFTER_MS = Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

  private final ClientGate gate;

  ClientPolicyInterceptor(ClientGate gate) {
    this.gate = gate;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Operation operation;
    if (method.equals(ConsensusServiceGrpc.getProposeMethod().getFullMethodName())) {
      operation = Operation.PROPOSE;
    } else if (method.equals(ConsensusServiceGrpc.getReadMethod().getFullMethodName())
        || method.equals(ConsensusServiceGrpc.getStatusMethod().getFullMethodName())
        || method.equals(ConsensusServiceGrpc.getRosterMethod().getFullMethodName())) {
      operation = Operation.READ;
    } else {
      call.close(Status.PERMISSION_DENIED.withDescription("the node's policy knows no method " + method), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Identity caller = AuthenticatedIdentityInterceptor.currentIdentity();
    Optional<X509Certificate> certificate;
    try {
      certificate = leaf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (SSLPeerUnverifiedException e) {
      call.close(Status.UNAUTHENTICATED.withDescription("the caller presented no verified certificate"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Optional<Refusal> refused = gate.admit(caller, certificate, operation);
    if (refused.isPresent()) {
      close(call, refused.get());
      return new ServerCall.Listener<>() {};
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean closed;

      @Override
      public void onMessage(ReqT message) {
        Optional<Refusal> refusal = check(caller, operation, message);
        if (refusal.isPresent()) {
          closed = true;
          close(call, refusal.get());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!closed) {
          super.onHalfClose();
        }
      }
    };
  }

  private Optional<Refusal> check(Identity caller, Operation operation, Object message) {
    if (message instanceof ProposeRequest propose) {
      return gate.check(caller, operation, propose.getKey(), propose.getValue().size(), propose.getRequestId(),
          propose.getSerializedSize());
    }
    if (message instanceof ReadRequest read) {
      return gate.check(caller, operation, read.getKey(), 0, "", read.getSerializedSize());
    }
    return Optional.empty(); // Status, Roster: no key, nothing to size
  }

  private static void close(ServerCall<?, ?> call, Refusal refusal) {
    Metadata trailers = new Metadata();
    Status status = switch (refusal.reason()) {
      case CERTIFICATE_DENIED -> Status.UNAUTHENTICATED;
      case THROTTLED -> {
        trailers.put(RETRY_AFTER_MS, Long.toString(refusal.retryAfterMillis()));
        yield Status.RESOURCE_EXHAUSTED;
      }
      case ACCESS_DENIED -> Status.PERMISSION_DENIED;
      case TOO_LARGE -> Status.INVALID_ARGUMENT;
    };
    call.close(status.withDescription(refusal.detail()), trailers);
  }

  /** The caller's verified leaf certificate; empty without TLS (--insecure-dev). */
  private static Optional<X509Certificate> leaf(SSLSession session) throws SSLPeerUnverifiedException {
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] chain = session.getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new SSLPeerUnverifiedException("no X.509 certificate");
    }
    return Optional.of(leaf);
  }
}
