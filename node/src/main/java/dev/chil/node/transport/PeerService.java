package dev.chil.node.transport;

import dev.chil.crypto.Identity;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.proto.v1.PeerAck;
import dev.chil.proto.v1.PeerEnvelope;
import dev.chil.proto.v1.PeerServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * The inbound side of the peer transport: every envelope on a peer's stream is authenticated here,
 * on the gRPC thread, and only then handed to the driver. Registered behind an
 * {@link AuthenticatedIdentityInterceptor} that lets node certificates only.
 */
public final class PeerService extends PeerServiceGrpc.PeerServiceImplBase {
  /** The receiver acknowledges every this many envelopes, so the sender can see progress. */
  static final int ACK_EVERY = 128;

  private final EnvelopeAuthenticator authenticator;
  private final InboundSink sink;
  private final TransportCounters counters;

  public PeerService(EnvelopeAuthenticator authenticator, InboundSink sink, TransportCounters counters) {
    this.authenticator = authenticator;
    this.sink = sink;
    this.counters = counters;
  }

  @Override
  public StreamObserver<PeerEnvelope> exchange(StreamObserver<PeerAck> acks) {
    Identity peer = AuthenticatedIdentityInterceptor.currentIdentity();
    return new StreamObserver<>() {
      private long received;

      @Override
      public void onNext(PeerEnvelope envelope) {
        received++;
        try {
          AuthenticatedMessage message = authenticator.open(peer, envelope);
          if (sink.offer(message)) {
            counters.countAccepted();
          } else {
            counters.countRejected(peer.name(), EnvelopeRejection.QUEUE_FULL, "inbound queue full");
          }
        } catch (EnvelopeRejectedException e) {
          counters.countRejected(peer.name(), e.reason(), e.getMessage());
        }
        if (received % ACK_EVERY == 0) {
          acks.onNext(PeerAck.newBuilder().setReceived(received).build());
        }
      }

      @Override
      public void onError(Throwable error) {
        // The peer went away or the connection broke; the peer's link reconnects.
      }

      @Override
      public void onCompleted() {
        acks.onNext(PeerAck.newBuilder().setReceived(received).build());
        acks.onCompleted();
      }
    };
  }
}
