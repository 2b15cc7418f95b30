package dev.chil.node.transport;

import dev.chil.proto.v1.PeerAck;
import dev.chil.proto.v1.PeerEnvelope;
import dev.chil.proto.v1.PeerServiceGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The outbound side of the transport to one peer: one channel, one long-lived stream on it,
 * reopened with capped exponential backoff and jitter whenever it ends. Messages wait in a bounded
 * queue while the stream is down or gRPC's flow control says to hold; when the queue is full the
 * oldest is dropped and counted, since the protocols retransmit what matters.
 *
 * <p>All state is confined to one single-threaded executor; {@link #send} may be called from any
 * thread.
 */
final class PeerLink implements AutoCloseable {
  private final String peer;
  private final ManagedChannel channel;
  private final PeerServiceGrpc.PeerServiceStub stub;
  private final ScheduledExecutorService executor;
  private final Backoff backoff;
  private final int queueMax;
  private final TransportCounters counters;

  private final ArrayDeque<PeerEnvelope> queue = new ArrayDeque<>();
  private ClientCallStreamObserver<PeerEnvelope> stream;
  private boolean reopenScheduled;
  private boolean closed;
  private volatile long acknowledged;

  PeerLink(String peer, ManagedChannel channel, ScheduledExecutorService executor, Backoff backoff,
      int queueMax, TransportCounters counters) {
    this.peer = peer;
    this.channel = channel;
    this.stub = PeerServiceGrpc.newStub(channel);
    this.executor = executor;
    this.backoff = backoff;
    this.queueMax = queueMax;
    this.counters = counters;
  }

  /** Opens the stream now, so that the peer is reachable before the first message. */
  void start() {
    run(this::open);
  }

  /** Runs on the link's executor; after close, work is dropped: there is nobody left to send to. */
  private void run(Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      // The transport is closing.
    }
  }

  void send(PeerEnvelope envelope) {
    run(() -> {
      if (closed) {
        return;
      }
      if (queue.size() >= queueMax) {
        queue.pollFirst();
        counters.countDroppedOutbound();
      }
      queue.addLast(envelope);
      drain();
    });
  }

  boolean connected() {
    return channel.getState(false) == ConnectivityState.READY;
  }

  /** How many of this node's envelopes the peer has confirmed on the current stream. */
  long acknowledged() {
    return acknowledged;
  }

  String peer() {
    return peer;
  }

  ManagedChannel channel() {
    return channel;
  }

  private void drain() {
    if (stream == null) {
      return; // the reopen that is scheduled drains when it succeeds
    }
    while (stream.isReady() && !queue.isEmpty()) {
      stream.onNext(queue.pollFirst());
    }
  }

  private void open() {
    if (closed || stream != null) {
      return;
    }
    stub.exchange(new ClientResponseObserver<PeerEnvelope, PeerAck>() {
      private ClientCallStreamObserver<PeerEnvelope> self;

      @Override
      public void beforeStart(ClientCallStreamObserver<PeerEnvelope> requestStream) {
        self = requestStream;
        stream = requestStream; // beforeStart runs inside exchange(), on the executor
        requestStream.setOnReadyHandler(() -> run(() -> {
          if (stream == self) {
            backoff.reset();
            drain();
          }
        }));
      }

      @Override
      public void onNext(PeerAck ack) {
        acknowledged = ack.getReceived();
      }

      @Override
      public void onError(Throwable error) {
        run(() -> ended(self));
      }

      @Override
      public void onCompleted() {
        run(() -> ended(self));
      }
    });
  }

  private void ended(ClientCallStreamObserver<PeerEnvelope> ended) {
    if (stream != ended) {
      return;
    }
    stream = null;
    acknowledged = 0;
    if (closed || reopenScheduled) {
      return;
    }
    reopenScheduled = true;
    Duration wait = backoff.next();
    try {
      executor.schedule(() -> {
        reopenScheduled = false;
        open();
        drain();
      }, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The transport is closing.
    }
  }

  @Override
  public void close() {
    run(() -> {
      closed = true;
      queue.clear();
      if (stream != null) {
        stream.onCompleted();
        stream = null;
      }
    });
  }
}
