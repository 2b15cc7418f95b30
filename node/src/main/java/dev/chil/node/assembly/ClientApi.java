package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.node.config.NodeConfig;
import dev.chil.node.runtime.Driver;
import dev.chil.node.transport.PeerService;
import dev.chil.node.transport.PeerTransport;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * What serves clients' proposals and reads: the client service, the end of the calls other nodes
 * forward here, the request limits, and the one thread that keeps the deadlines, pauses and
 * leader waits of the calls in progress.
 */
final class ClientApi implements AutoCloseable {
  private final ScheduledThreadPoolExecutor scheduler;
  private final LeaderWatch watch;
  private final ClientLimits limits;
  private final ConsensusService service;
  private final PeerService.Forwarded forwarded;

  private ClientApi(ScheduledThreadPoolExecutor scheduler, LeaderWatch watch, ClientLimits limits,
      ConsensusService service, PeerService.Forwarded forwarded) {
    this.scheduler = scheduler;
    this.watch = watch;
    this.limits = limits;
    this.service = service;
    this.forwarded = forwarded;
  }

  static ClientApi start(NodeConfig config, ProtocolCore core, Driver driver, PeerTransport transport,
      Supplier<CompletableFuture<NodeStatus>> status, Optional<PbftVouching> vouching, String signedRoster) {
    ScheduledThreadPoolExecutor scheduler = callScheduler(config.nodeId());
    LeaderWatch watch = new LeaderWatch(scheduler);
    driver.onLeaderChange(replica -> leaderOf(core.status(replica), config.nodeId()), watch::changed);
    ClientCalls calls = new ClientCalls(driver, new Forwarder(transport), watch, scheduler, config.protocol().timeout(),
        vouching);
    ClientLimits limits = new ClientLimits(config.batching().bytesMax());
    ConsensusService service = new ConsensusService(calls, limits, status, config.protocol().timeout(),
        config.cluster(), core.clientKeys(), signedRoster);
    PeerService.Forwarded forwarded = new PeerService.Forwarded() {
      @Override
      public CompletableFuture<ProposeResponse> propose(Command command) {
        Optional<String> tooLarge = limits.problem(command);
        if (tooLarge.isPresent()) {
          return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.withDescription(tooLarge.get()).asRuntimeException());
        }
        return withStatus(calls.propose(command, false));
      }

      @Override
      public CompletableFuture<ReadResponse> read(String key) {
        return withStatus(calls.read(key, false));
      }
    };
    return new ClientApi(scheduler, watch, limits, service, forwarded);
  }

  ConsensusService service() {
    return service;
  }

  PeerService.Forwarded forwarded() {
    return forwarded;
  }

  ClientLimits limits() {
    return limits;
  }

  /**
   * Client calls this node holds now: each has a deadline timer until it ends, and may wait for
   * a leader. Zero once every call has been answered, failed or cancelled.
   */
  int callsInProgress() {
    return scheduler.getQueue().size() + watch.waiting();
  }

  /** Who leads as the core sees it: this node when it leads, never itself otherwise; null when unknown. */
  static String leaderOf(CoreStatus core, String self) {
    if (core.leads()) {
      return self;
    }
    return self.equals(core.leader()) ? null : core.leader();
  }

  /** One thread for the deadlines, pauses and wake-ups of waiting calls; cancelled timers leave at once. */
  private static ScheduledThreadPoolExecutor callScheduler(String nodeId) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "chil-calls-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  /** A forwarded call's failure, as the status the forwarding node passes on or acts on. */
  private static <T> CompletableFuture<T> withStatus(CompletableFuture<T> answer) {
    return answer.handle((value, error) -> {
      if (error != null) {
        throw ClientStatus.of(error);
      }
      return value;
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
