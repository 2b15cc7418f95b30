package dev.chil.node.runtime;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.CommandOutcome;
import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.store.AuditLog;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.ReadReply;
import dev.chil.node.core.common.Replica;
import dev.chil.node.failure.FailureDetector;
import dev.chil.node.statemachine.StateMachine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a node's protocol core. Each turn it takes what has queued up, steps
 * the core once per input, and then, in this order: makes everything the core asked to persist
 * durable (one transaction for the whole turn: group commit), sends the messages, appends the
 * decisions to the audit log and applies them to the state machine, and completes the clients.
 * Nothing is sent before what it promises is on disk.
 *
 * <p>Everything else talks to it through its bounded queue; a full queue is an error to the
 * caller (backpressure), never unbounded memory. A failure to persist or audit stops the node:
 * it must not go on promising what it cannot keep.
 */
public final class Driver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Driver.class);
  /** Inputs stepped per turn at most, so that a flood cannot delay persisting and sending forever. */
  static final int INPUTS_PER_TURN_MAX = 1024;

  private final Replica replica;
  private final DurableStore store;
  private final Outbox outbox;
  private final AuditLog audit;
  private final StateMachine stateMachine;
  private final FailureDetector failureDetector;
  private final TurnObserver observer;
  private final Clock clock;
  private final long tickNanos;
  private final BlockingQueue<Event> inbox;
  private final ClientRequests clients;
  private final Thread thread;
  private final Set<String> suspected = new HashSet<>();
  // Reads waiting for the core to vouch for them, by barrier id; bounded by the queue size.
  private final Map<Long, Read> reads = new HashMap<>();
  private long nextReadId;
  private volatile Throwable failure;
  private volatile LeaderNotice leaderNotice;
  private volatile boolean stopping;
  private volatile DriverMetrics metrics = DriverMetrics.NONE;
  private volatile EvidenceSink evidenceSink = EvidenceSink.NONE;
  private volatile ResultSink resultSink = ResultSink.NONE;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  /** Something for the driver thread to do. */
  private sealed interface Event {}

  private record Step(Input input) implements Event {}

  private record Heard(String peer) implements Event {}

  /** {@code signed} is the client's signed form of {@code command} (for a core that takes only those), or null. */
  private record Propose(Command command, ClientRequest signed, CompletableFuture<ProposalResult> result)
      implements Event {}

  private record Inspect<T>(Function<View, T> question, CompletableFuture<T> answer) implements Event {}

  private record Read(String key, CompletableFuture<Optional<StateMachine.Entry>> result) implements Event {}

  /** A caller gave up on a proposal or read (its deadline passed): forget whoever no longer waits. */
  private record Abandoned() implements Event {}

  /** What {@link #inspect} may look at, on the driver thread. */
  public interface View {
    Replica replica();

    StateMachine stateMachine();

    AuditLog audit();

    FailureDetector failureDetector();

    long nowMillis();

    /** Proposals clients wait on here, by (client, request id). */
    int pendingRequests();

    /** Reads waiting here for the core to vouch for them. */
    int pendingReads();
  }

  public Driver(Replica replica, DurableStore store, Outbox outbox, AuditLog audit, StateMachine stateMachine,
      FailureDetector failureDetector, Clock clock, Duration tick, int queueMax, int resultsRemembered) {
    this(replica, store, outbox, audit, stateMachine, failureDetector, clock, tick, queueMax, resultsRemembered,
        TurnObserver.NONE);
  }

  /** As above, with an observer that hears each turn pass each point of the durability order. */
  public Driver(Replica replica, DurableStore store, Outbox outbox, AuditLog audit, StateMachine stateMachine,
      FailureDetector failureDetector, Clock clock, Duration tick, int queueMax, int resultsRemembered,
      TurnObserver observer) {
    this.replica = replica;
    this.store = store;
    this.outbox = outbox;
    this.audit = audit;
    this.stateMachine = stateMachine;
    this.failureDetector = failureDetector;
    this.observer = observer;
    this.clock = clock;
    this.tickNanos = tick.toNanos();
    this.inbox = new ArrayBlockingQueue<>(queueMax);
    this.clients = new ClientRequests(queueMax, resultsRemembered);
    this.thread = new Thread(this::run, "chil-driver-" + replica.name());
  }

  public void start() {
    thread.start();
  }

  /**
   * From the next turn on, {@code listener} is told who leads, as {@code leaderOf} reads it from
   * the core (null: no leader known): once, and then after every turn that changes it. It runs on
   * the driver thread and must not block. Lets callers wait for a leader without polling.
   */
  public void onLeaderChange(Function<Replica, String> leaderOf, Consumer<String> listener) {
    leaderNotice = new LeaderNotice(leaderOf, listener);
  }

  /** Where to report what the driver does; nowhere by default. */
  public void reportTo(DriverMetrics metrics) {
    this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
  }

  /** Where evidence of equivocation goes; nowhere by default. */
  /** Before {@link #start()}: where each executed slot's proofs go (a pbft node's replies). */
  public void reportResultsTo(ResultSink sink) {
    this.resultSink = java.util.Objects.requireNonNull(sink, "sink");
  }

  public void reportEvidenceTo(EvidenceSink sink) {
    this.evidenceSink = java.util.Objects.requireNonNull(sink, "sink");
  }

  /** Inputs waiting for the driver thread now. */
  public int queueDepth() {
    return inbox.size();
  }

  /** An authenticated, decoded peer message; false when the queue is full (the sender retransmits). */
  public boolean offer(String from, PeerMessage message) {
    return inbox.offer(new Step(new Input.Receive(from, message)));
  }

  /** A sign of life from a peer (a transport heartbeat). */
  public boolean heard(String peer) {
    return inbox.offer(new Heard(peer));
  }

  /** Submits a command; the future fails with {@link NodeUnavailableException} if it cannot be taken. */
  public CompletableFuture<ProposalResult> propose(Command command) {
    return propose(command, null);
  }

  /**
   * Submits a request its client signed, as a core that must show other replicas the client's
   * signature (PBFT) takes it; otherwise as {@link #propose(Command)}.
   */
  public CompletableFuture<ProposalResult> propose(ClientRequest request) {
    return propose(request.command(), request);
  }

  private CompletableFuture<ProposalResult> propose(Command command, ClientRequest signed) {
    CompletableFuture<ProposalResult> result = new CompletableFuture<>();
    long started = System.nanoTime();
    result.whenComplete((done, error) -> metrics.proposalEnded(
        error != null ? "failed" : done.success() ? "success" : "refused", System.nanoTime() - started));
    if (failure != null || stopping) {
      result.completeExceptionally(NodeUnavailableException.stopped("the node is stopping"));
    } else if (!inbox.offer(new Propose(command, signed, result))) {
      result.completeExceptionally(NodeUnavailableException.busy("the node's queue is full; retry later"));
    }
    forgetWhenCancelled(result);
    return result;
  }

  /**
   * A caller cancels the future when it stops waiting; the driver then drops it, so that calls a
   * leader cannot answer (it lost its quorum) leave nothing behind. The command itself stays with
   * the core: it may still be decided, and a retry with its request id then gets that answer.
   */
  private void forgetWhenCancelled(CompletableFuture<?> result) {
    result.whenComplete((done, error) -> {
      if (result.isCancelled()) {
        // A full queue loses only the reminder: the next Abandoned sweeps this one too.
        inbox.offer(new Abandoned());
      }
    });
  }

  /**
   * Reads a key linearizably: the answer reflects every write acknowledged before the call. Only
   * the leader can vouch for that; elsewhere the future fails with {@link NodeUnavailableException}
   * naming the leader.
   */
  public CompletableFuture<Optional<StateMachine.Entry>> read(String key) {
    CompletableFuture<Optional<StateMachine.Entry>> result = new CompletableFuture<>();
    if (failure != null || stopping) {
      result.completeExceptionally(NodeUnavailableException.stopped("the node is stopping"));
    } else if (!inbox.offer(new Read(key, result))) {
      result.completeExceptionally(NodeUnavailableException.busy("the node's queue is full; retry later"));
    }
    forgetWhenCancelled(result);
    return result;
  }

  /** Runs a question on the driver thread, where the core and state machine may be read safely. */
  public <T> CompletableFuture<T> inspect(Function<View, T> question) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    if (failure != null) {
      answer.completeExceptionally(NodeUnavailableException.stopped("the node stopped"));
    } else if (!inbox.offer(new Inspect<>(question, answer))) {
      answer.completeExceptionally(NodeUnavailableException.busy("the node's queue is full; retry later"));
    }
    return answer;
  }

  /** Why the driver stopped on its own, if it did. */
  public Throwable failure() {
    return failure;
  }

  /** Completes when the driver thread ends: normally after {@link #close()}, exceptionally on a failure. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  private void run() {
    long nextTick = System.nanoTime() + tickNanos;
    List<Event> batch = new ArrayList<>();
    try {
      while (!stopping) {
        long wait = nextTick - System.nanoTime();
        Event first = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
        if (first != null) {
          batch.add(first);
          inbox.drainTo(batch, INPUTS_PER_TURN_MAX - 1);
        }
        long now = System.nanoTime();
        boolean tickDue = now - nextTick >= 0;
        if (tickDue) {
          // One tick per turn; if the thread fell far behind, skip ahead rather than burst.
          nextTick = now - nextTick > 10 * tickNanos ? now + tickNanos : nextTick + tickNanos;
        }
        turn(batch, tickDue);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("the driver of {} stopped: {}", replica.name(), e.toString(), e);
    } finally {
      NodeUnavailableException stopped = NodeUnavailableException.stopped(
          failure == null ? "the node stopped" : "the node stopped: " + failure.getMessage());
      clients.failAll(stopped);
      reads.values().forEach(read -> read.result().completeExceptionally(stopped));
      reads.clear();
      List<Event> left = new ArrayList<>();
      inbox.drainTo(left);
      if (failure == null) {
        terminated.complete(null);
      } else {
        terminated.completeExceptionally(failure);
      }
      for (Event event : left) {
        if (event instanceof Propose propose) {
          propose.result().completeExceptionally(NodeUnavailableException.stopped("the node stopped"));
        } else if (event instanceof Inspect<?> inspect) {
          inspect.answer().completeExceptionally(NodeUnavailableException.stopped("the node stopped"));
        } else if (event instanceof Read read) {
          read.result().completeExceptionally(NodeUnavailableException.stopped("the node stopped"));
        }
      }
    }
  }

  /**
   * Runs one turn on the caller's thread, for a caller that owns the loop instead of
   * {@link #start()}: a deterministic harness with its own clock. The turn ticks once if
   * {@code tick}, then handles the events queued so far (at most {@link #INPUTS_PER_TURN_MAX}).
   * An exception ends the turn where it stands and reaches the caller; the driver is then unusable.
   *
   * @throws IllegalStateException if {@link #start()} was called: the driver's thread owns the turns
   */
  public void runTurn(boolean tick) {
    if (thread.getState() != Thread.State.NEW) {
      throw new IllegalStateException("the driver of " + replica.name() + " runs its own thread");
    }
    List<Event> batch = new ArrayList<>();
    inbox.drainTo(batch, INPUTS_PER_TURN_MAX);
    turn(batch, tick);
  }

  /** One turn: a tick if due, then the events, then the rest in the durability order. */
  private void turn(List<Event> events, boolean tickDue) {
    Turn turn = new Turn();
    if (tickDue) {
      tick(turn);
    }
    for (Event event : events) {
      handle(event, turn);
    }
    finish(turn);
    // Even after a turn with no output: a heartbeat can make a leader known without any.
    LeaderNotice notice = leaderNotice;
    if (notice != null) {
      notice.update(replica);
    }
  }

  private void tick(Turn turn) {
    long nowMillis = clock.millis();
    for (String peer : failureDetector.suspected(nowMillis)) {
      if (suspected.add(peer)) {
        turn.step(new Input.Suspect(peer));
      }
    }
    turn.step(new Input.Tick());
  }

  private void handle(Event event, Turn turn) {
    if (event instanceof Step step) {
      if (step.input() instanceof Input.Receive receive) {
        heardFrom(receive.from());
      }
      turn.step(step.input());
    } else if (event instanceof Heard heard) {
      heardFrom(heard.peer());
    } else if (event instanceof Propose propose) {
      if (clients.add(propose.command(), propose.result())) {
        turn.step(propose.signed() != null ? new Input.SubmitRequest(propose.signed())
            : new Input.Submit(propose.command()));
      }
    } else if (event instanceof Inspect<?> inspect) {
      answer(inspect);
    } else if (event instanceof Read read) {
      long id = nextReadId++;
      reads.put(id, read);
      turn.step(new Input.ReadBarrier(id));
    } else if (event instanceof Abandoned) {
      clients.forgetAbandoned();
      reads.values().removeIf(read -> read.result().isDone());
    } else {
      throw new AssertionError("unknown event " + event);
    }
  }

  private <T> void answer(Inspect<T> inspect) {
    try {
      inspect.answer().complete(inspect.question().apply(view()));
    } catch (RuntimeException e) {
      inspect.answer().completeExceptionally(e);
    }
  }

  private void heardFrom(String peer) {
    failureDetector.heartbeat(peer, clock.millis());
    suspected.remove(peer);
  }

  /** The rest of a turn, in the order the durability contract requires. */
  private void finish(Turn turn) {
    if (turn.isEmpty()) {
      return;
    }
    observer.reached(TurnObserver.Point.STEPPED);
    if (!turn.persist.isEmpty()) {
      long started = System.nanoTime();
      store.persist(turn.persist);
      metrics.persisted(System.nanoTime() - started);
    }
    observer.reached(TurnObserver.Point.PERSISTED);
    sendGrouped(turn.messages);
    observer.reached(TurnObserver.Point.SENT);
    if (!turn.decisions.isEmpty()) {
      apply(turn.decisions);
    }
    observer.reached(TurnObserver.Point.APPLIED);
    for (ClientReply reply : turn.replies) {
      clients.reply(reply);
    }
    for (ReadReply reply : turn.reads) {
      answer(reply);
    }
    if (!turn.evidence.isEmpty()) {
      evidenceSink.record(turn.evidence);
    }
  }

  /** Answers a reader; the state machine already holds this turn's decisions. */
  private void answer(ReadReply reply) {
    Read read = reads.remove(reply.id());
    if (read == null) {
      throw new IllegalStateException("the core answered read " + reply.id() + ", which nobody asked");
    }
    if (reply instanceof ReadReply.Ready) {
      read.result().complete(stateMachine.read(read.key()));
    } else if (reply instanceof ReadReply.Redirect redirect) {
      read.result().completeExceptionally(NodeUnavailableException.notLeader(redirect.leaderHint()));
    } else if (reply instanceof ReadReply.Rejected rejected) {
      read.result().completeExceptionally(NodeUnavailableException.busy("refused: " + rejected.reason()));
    } else {
      throw new AssertionError("unknown read reply " + reply);
    }
  }

  /**
   * Sends the turn's messages, each run of one message to several peers (a broadcast) as one
   * send, so that it is encoded and signed once. Only consecutive envelopes are grouped: every
   * peer receives its messages in the order the core produced them.
   */
  private void sendGrouped(List<Envelope> envelopes) {
    int start = 0;
    while (start < envelopes.size()) {
      PeerMessage message = envelopes.get(start).message();
      List<String> peers = new ArrayList<>();
      int end = start;
      while (end < envelopes.size() && envelopes.get(end).message().equals(message)) {
        peers.add(envelopes.get(end).to());
        end++;
      }
      outbox.send(peers, message);
      start = end;
    }
  }

  /** Audits every decided slot of the turn in one transaction, then applies them in order. */
  private void apply(List<Decision> decisions) {
    List<DecidedSlot> slots = new ArrayList<>(decisions.size());
    for (Decision decision : decisions) {
      slots.add(new DecidedSlot(decision.commands(), decision.certificate(), clock.instant(),
          decision.certificate().statement().epoch()));
    }
    long index = audit.head().index();
    long started = System.nanoTime();
    try {
      audit.append(slots);
      metrics.audited(slots.size(), System.nanoTime() - started);
      decisions.forEach(decision -> metrics.decided(decision.commands().size()));
    } catch (Exception e) {
      // The core delivered these with valid certificates; an audit log that refuses them, or a
      // disk that fails, means this node must not go on.
      throw new IllegalStateException("the audit log refused decided slots: " + e.getMessage(), e);
    }
    observer.reached(TurnObserver.Point.AUDITED);
    for (Decision decision : decisions) {
      // toApply is a subsequence of commands, in order: walk both to find each one's audit index.
      List<Command> commands = decision.commands();
      List<Command> toApply = decision.toApply();
      List<CommandOutcome> outcomes = new ArrayList<>(commands.size());
      List<StateMachine.Result> results = new ArrayList<>(toApply.size());
      int next = 0;
      for (Command command : commands) {
        if (next < toApply.size() && toApply.get(next).equals(command)) {
          next++;
          StateMachine.Result result = stateMachine.apply(decision.slot(), command);
          results.add(result);
          outcomes.add(CommandOutcome.applied(result.success(), result.value() == null ? ByteString.EMPTY : result.value()));
        } else {
          results.add(null);
          outcomes.add(CommandOutcome.repeat());
        }
      }
      if (next != toApply.size()) {
        throw new IllegalStateException("slot " + decision.slot() + ": commands to apply are not a subsequence of its commands");
      }
      SlotProofs proofs = new SlotProofs(decision.slot(), commands, outcomes);
      for (int position = 0; position < commands.size(); position++) {
        index++;
        StateMachine.Result result = results.get(position);
        if (result != null) {
          clients.applied(commands.get(position), new ProposalResult(result.success(), result.value(), decision.slot(),
              index, decision.certificate(), position, proofs));
        }
      }
      resultSink.executed(proofs);
    }
  }

  private View view() {
    return new View() {
      @Override
      public Replica replica() {
        return replica;
      }

      @Override
      public StateMachine stateMachine() {
        return stateMachine;
      }

      @Override
      public AuditLog audit() {
        return audit;
      }

      @Override
      public FailureDetector failureDetector() {
        return failureDetector;
      }

      @Override
      public long nowMillis() {
        return clock.millis();
      }

      @Override
      public int pendingRequests() {
        return clients.pendingCount();
      }

      @Override
      public int pendingReads() {
        return reads.size();
      }
    };
  }

  /** Stops the thread after its current turn; waiting clients are told the node stopped. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  /** Tells a listener who leads when that changes; driver thread only, after its publication. */
  private static final class LeaderNotice {
    private final Function<Replica, String> leaderOf;
    private final Consumer<String> listener;
    private boolean told;
    private String known;

    LeaderNotice(Function<Replica, String> leaderOf, Consumer<String> listener) {
      this.leaderOf = leaderOf;
      this.listener = listener;
    }

    void update(Replica replica) {
      String leader = leaderOf.apply(replica);
      if (!told || !Objects.equals(leader, known)) {
        told = true;
        known = leader;
        listener.accept(leader);
      }
    }
  }

  /** What one turn's steps asked for, gathered so the turn persists once. */
  private final class Turn {
    final List<Durable> persist = new ArrayList<>();
    final List<Envelope> messages = new ArrayList<>();
    final List<Decision> decisions = new ArrayList<>();
    final List<ClientReply> replies = new ArrayList<>();
    final List<ReadReply> reads = new ArrayList<>();
    final List<Evidence> evidence = new ArrayList<>();

    boolean isEmpty() {
      return persist.isEmpty() && messages.isEmpty() && decisions.isEmpty() && replies.isEmpty() && reads.isEmpty()
          && evidence.isEmpty();
    }

    void step(Input input) {
      Output output = replica.step(input);
      persist.addAll(output.persist());
      messages.addAll(output.messages());
      decisions.addAll(output.decisions());
      replies.addAll(output.replies());
      reads.addAll(output.reads());
      evidence.addAll(output.evidence());
    }
  }
}
