package dev.chil.crypto.tls;

import dev.chil.crypto.Identity;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * For development without TLS only ({@code --insecure-dev}): a caller states who it is in the
 * {@code chil-identity} header, and nothing proves it. With TLS, identity comes from the
 * certificate and this header is ignored.
 */
public final class ClaimedIdentity {
  public static final Metadata.Key<String> HEADER = Metadata.Key.of("chil-identity", Metadata.ASCII_STRING_MARSHALLER);

  private ClaimedIdentity() {}

  /** Adds the header naming {@code identity} to every call of a channel. */
  public static ClientInterceptor claiming(Identity identity) {
    String spiffeId = identity.spiffeId();
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.put(HEADER, spiffeId);
            super.start(listener, headers);
          }
        };
      }
    };
  }
}
