package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Certificates;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.ClientTable;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.Quorum;
import dev.chil.node.core.common.ReadReply;
import dev.chil.node.core.common.Replica;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One PBFT replica (Castro and Liskov, OSDI '99 / TOCS 2002) with signatures on every message, as
 * a pure state machine.
 *
 * <p>Normal case: the primary of view v (member v mod n) assigns each batch of client-signed
 * requests a sequence number in the window [h, h + L) with a signed PrePrepare; a backup that
 * accepts it (right view and window, no other PrePrepare for that view and sequence, every client
 * signature valid) sends a signed Prepare. With the PrePrepare and 2f matching Prepares a replica
 * is prepared: it persists the prepared certificate, then sends a Commit, whose signature is a vote
 * on (sequence, view, batch digest). 2f+1 matching Commits make it committed-local: those Commits
 * are the sequence's quorum certificate. Execution is strictly in sequence order.
 *
 * <p>Every K executed sequences a replica signs a Checkpoint of its state digest; 2f+1 matching
 * ones make it stable, move h up, and let everything below go.
 *
 * <p>View change: a request known here and unexecuted for {@code requestTimeoutTicks}, or f+1
 * replicas announcing higher views, moves a replica to the next view with a signed ViewChange
 * (stable checkpoint with proof, prepared certificates). The new primary, with 2f+1 of them,
 * sends a NewView re-issuing every prepared batch (null batches for gaps); every replica
 * recomputes that before it enters the view. If no NewView comes within a timeout that doubles
 * with each fruitless view change, the replica moves on to the next view.
 *
 * <p>Catch-up: a replica that learns others executed further fetches executed sequences with
 * their certificates from its peers in turn, and checks every certificate: no single peer is
 * trusted. Equivocation (two signed, different PrePrepares, Prepares or Commits of one replica for
 * one view and sequence, or ViewChanges for one view) comes out as {@link Evidence}.
 *
 * <p>Bad input (unsigned, badly signed, from the wrong replica, malformed proof) is dropped and
 * counted as invalid; input for another view or outside the window is stale; a broken invariant
 * throws {@link IllegalStateException}.
 *
 * <p>Not final, its checks package-private, only so that the simulator's teeth tests can build
 * deliberately broken variants in this package.
 */
public class PbftReplica implements Replica {
  private static final long NONE = Long.MIN_VALUE;
  /** The NewView wait doubles per fruitless view change, up to 64 times the configured one. */
  static final int VIEW_CHANGE_DOUBLINGS_MAX = 6;

  final PbftConfig config;
  private final Signer signer;
  private final Quorum quorum;
  final ProofChecks checks;
  private final List<String> members;
  private final AgreementLog log = new AgreementLog();
  private final ExecutionLog execution;
  private final Checkpoints checkpoints;
  private final ViewChanges viewChanges = new ViewChanges();
  private final Requests requests;
  private final Equivocations equivocations = new Equivocations();

  private long view;
  private boolean changing; // sent a ViewChange for {@code view}, no NewView accepted yet
  private PbftMessage.ViewChange ownViewChange;
  private PbftMessage.NewView newView; // the one this replica entered {@code view} by, if any
  private long nextSequence; // the primary's next sequence number in this view
  private long now;
  private long requestDeadlineTick = NONE;
  private long viewChangeDeadlineTick = NONE;
  private int fruitlessViewChanges;
  private long retransmitTick;
  private long knownAhead; // a hint: some replica executed (or committed) every sequence below this
  private long progressTick;
  private long fetchSentTick = NONE;
  private int fetchPeer;
  private final TreeMap<String, Long> newViewSentTick = new TreeMap<>();

  private long invalidInputs;
  private long staleInputs;

  private List<Durable> persist = new ArrayList<>();
  private List<Envelope> messages = new ArrayList<>();
  private List<Decision> decisions = new ArrayList<>();
  private List<ClientReply> replies = new ArrayList<>();
  private List<ReadReply> readReplies = new ArrayList<>();
  private List<Evidence> evidence = new ArrayList<>();
  private final ArrayDeque<PbftMessage> toSelf = new ArrayDeque<>();

  /** A replica with empty storage: a new cluster member. */
  public PbftReplica(PbftConfig config, Signer signer, Verifier verifier) {
    this(config, signer, verifier, new PbftStorageState());
  }

  /** A replica rebuilt after a restart from exactly what its outputs asked to persist. */
  public PbftReplica(PbftConfig config, Signer signer, Verifier verifier, PbftStorageState stored) {
    this.config = Objects.requireNonNull(config, "config");
    this.signer = Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(verifier, "verifier");
    Identity identity = signer.identity();
    if (!identity.name().equals(config.self()) || !identity.cluster().equals(config.roster().cluster())) {
      throw new IllegalArgumentException("signer " + identity + " is not node '" + config.self()
          + "' of cluster '" + config.roster().cluster() + "'");
    }
    this.quorum = new Quorum(config.roster(), config.quorumRule());
    this.checks = new ProofChecks(config, quorum, verifier);
    this.members = List.copyOf(config.roster().names());
    this.execution = new ExecutionLog(config.retainedSequences(),
        new ClientTable(config.clientsMax(), config.requestsPerClientMax()));
    this.checkpoints = new Checkpoints(quorum, 4L * config.watermarkWindow());
    this.requests = new Requests(config.pendingRequestsMax());
    restore(stored);
  }

  private void restore(PbftStorageState stored) {
    execution.restore(stored.executed());
    checkpoints.makeStable(stored.stable());
    knownAhead = Math.max(execution.nextToExecute(), stored.stable().sequence());
    view = stored.view();
    if (stored.viewChange() != null) {
      changing = true;
      ownViewChange = stored.viewChange();
      viewChanges.add(ownViewChange, view - 1);
    } else {
      newView = stored.newView();
    }
    long low = checkpoints.low();
    for (PbftMessage.PreparedCertificate certificate : stored.prepared().tailMap(low, true).values()) {
      log.prepared(certificate);
    }
    if (!changing) {
      for (PbftMessage.PrePrepare prePrepare : stored.prePrepared().tailMap(low, true).values()) {
        if (prePrepare.view() == view) {
          log.entry(prePrepare.sequence()).prePrepare = prePrepare;
        }
      }
      for (PbftMessage.PreparedCertificate certificate : log.preparedFrom(low)) {
        AgreementLog.Entry entry = log.find(certificate.sequence());
        if (certificate.view() == view && entry != null && entry.prePrepare != null) {
          entry.commitSent = true;
        }
      }
      nextSequence = Math.max(low, log.highestPrePrepared() + 1);
      if (newView != null) {
        nextSequence = Math.max(nextSequence, NewViewPlan.of(newView.viewChanges()).nextSequence());
      }
    }
  }

  @Override
  public String name() {
    return config.self();
  }

  @Override
  public Output step(Input input) {
    if (input instanceof Input.Tick) {
      now++;
      onTick();
    } else if (input instanceof Input.Receive receive) {
      if (!config.roster().contains(receive.from()) || receive.from().equals(config.self())
          || !(receive.message() instanceof PbftMessage message)) {
        invalidInputs++;
      } else {
        handle(receive.from(), message);
      }
    } else if (input instanceof Input.SubmitRequest submit) {
      onClientRequest(submit.request());
    } else if (input instanceof Input.Submit submit) {
      replies.add(new ClientReply.Rejected(submit.command(), "pbft takes only requests signed by their client"));
    } else if (input instanceof Input.ReadBarrier barrier) {
      readReplies.add(new ReadReply.Rejected(barrier.id(), "pbft reads go through ordering"));
    } else if (input instanceof Input.Suspect) {
      staleInputs++; // PBFT suspects its primary by request timeouts, not by a failure detector
    } else {
      throw new AssertionError("unknown input " + input);
    }
    while (!toSelf.isEmpty()) {
      handle(config.self(), toSelf.poll());
    }
    Output output = new Output(persist, messages, decisions, replies, readReplies, evidence);
    persist = new ArrayList<>();
    messages = new ArrayList<>();
    decisions = new ArrayList<>();
    replies = new ArrayList<>();
    readReplies = new ArrayList<>();
    evidence = new ArrayList<>();
    return output;
  }

  private void handle(String from, PbftMessage message) {
    if (message instanceof PbftMessage.Signed signed && !signed.replica().equals(from)) {
      invalidInputs++; // a replica speaks only for itself; others' messages travel only inside proofs
      return;
    }
    if (message instanceof PbftMessage.Request request) {
      onForwardedRequest(request.request());
    } else if (message instanceof PbftMessage.PrePrepare prePrepare) {
      onPrePrepare(from, prePrepare);
    } else if (message instanceof PbftMessage.PbftPrepare prepare) {
      onPrepare(from, prepare);
    } else if (message instanceof PbftMessage.Commit commit) {
      onCommit(from, commit);
    } else if (message instanceof PbftMessage.Checkpoint checkpoint) {
      onCheckpoint(from, checkpoint);
    } else if (message instanceof PbftMessage.ViewChange viewChange) {
      onViewChange(from, viewChange);
    } else if (message instanceof PbftMessage.NewView next) {
      onNewView(from, next);
    } else if (message instanceof PbftMessage.FetchRequest request) {
      onFetchRequest(from, request);
    } else if (message instanceof PbftMessage.FetchReply reply) {
      onFetchReply(reply);
    } else {
      throw new AssertionError("unknown message " + message);
    }
  }

  // ---- time ----

  private void onTick() {
    if (changing) {
      if (viewChangeDeadlineTick != NONE && now >= viewChangeDeadlineTick) {
        startViewChange(view + 1); // the new primary did not deliver: try the next one
      }
    } else {
      if (requests.isEmpty()) {
        requestDeadlineTick = NONE;
      } else if (requestDeadlineTick == NONE) {
        requestDeadlineTick = now + config.requestTimeoutTicks();
      } else if (now >= requestDeadlineTick) {
        startViewChange(view + 1);
      }
      if (!changing && isPrimary()) {
        proposeReady();
      }
    }
    if (now - retransmitTick >= config.retransmitTicks()) {
      retransmitTick = now;
      retransmit();
      maybeFetch();
    }
  }

  /** Sends again what peers may have lost: this replica's part of every unfinished step. */
  private void retransmit() {
    if (changing) {
      broadcastToPeers(ownViewChange);
      return;
    }
    PbftMessage.Commit highestCommit = null;
    for (AgreementLog.Entry entry : log.entries()) {
      if (entry.prePrepare == null) {
        continue;
      }
      PbftMessage.Commit ownCommit = entry.commits.get(config.self());
      if (entry.committed) {
        highestCommit = ownCommit != null ? ownCommit : highestCommit;
        continue;
      }
      if (isPrimary()) {
        broadcastToPeers(entry.prePrepare);
      } else if (entry.prepares.containsKey(config.self())) {
        broadcastToPeers(entry.prepares.get(config.self()));
      }
      if (ownCommit != null) {
        broadcastToPeers(ownCommit);
      }
    }
    if (highestCommit != null) {
      broadcastToPeers(highestCommit); // tells a replica that missed everything how far we got
    }
    PbftMessage.Checkpoint checkpoint = checkpoints.latestOwn();
    if (checkpoint != null) {
      broadcastToPeers(checkpoint);
    }
  }

  // ---- clients ----

  private void onClientRequest(ClientRequest request) {
    Command command = request.command();
    long executedAt = execution.clients().appliedSlot(command);
    if (executedAt >= 0) {
      replies.add(new ClientReply.Committed(command, executedAt));
      return;
    }
    if (request.problem(config.roster().cluster(), checks.verifier()).isPresent()) {
      invalidInputs++;
      replies.add(new ClientReply.Rejected(command, "request signature does not verify"));
      return;
    }
    switch (requests.add(request, now, true)) {
      case FULL -> replies.add(new ClientReply.Rejected(command, "too many requests waiting; retry later"));
      case KNOWN, ADDED -> {
        if (!changing && !isPrimary()) {
          // To every replica, not only the primary, as a PBFT client broadcasts a request its primary
          // does not answer: each correct backup then times it, so that a silent primary is replaced
          // by f+1 correct replicas' ViewChanges even when the client could reach only this one.
          broadcastToPeers(new PbftMessage.Request(request));
        } else if (!changing) {
          proposeReady();
        }
      }
    }
  }

  private void onForwardedRequest(ClientRequest request) {
    if (execution.clients().appliedSlot(request.command()) >= 0) {
      staleInputs++;
      return;
    }
    if (request.problem(config.roster().cluster(), checks.verifier()).isPresent()) {
      invalidInputs++; // a replica forwarded a request its client did not sign
      return;
    }
    if (requests.add(request, now, false) == Requests.Admission.ADDED && !changing && isPrimary()) {
      proposeReady();
    }
  }

  // ---- normal case ----

  private void proposeReady() {
    while (nextSequence < checkpoints.low() + config.watermarkWindow()) {
      List<ClientRequest> batch = requests.nextBatch(now, config.batchCommandsMax(), config.batchDelayTicks());
      if (batch.isEmpty()) {
        return;
      }
      requests.proposed(batch);
      PbftMessage.PrePrepare prePrepare = PbftMessage.PrePrepare.signed(signer, view, nextSequence++, batch);
      acceptPrePrepare(prePrepare);
    }
  }

  /** Whether {@code sequence} lies in this replica's window [h, h + L). */
  boolean inWindow(long sequence) {
    return sequence >= checkpoints.low() && sequence < checkpoints.low() + config.watermarkWindow();
  }

  /** Whether a PrePrepare for {@code sequence} may be accepted: only inside the window. */
  boolean acceptsPrePrepareAt(long sequence) {
    return inWindow(sequence);
  }

  private void onPrePrepare(String from, PbftMessage.PrePrepare prePrepare) {
    if (prePrepare.view() != view || !acceptsPrePrepareAt(prePrepare.sequence())) {
      staleInputs++;
      return;
    }
    if (!from.equals(primary()) || !checks.verifies(prePrepare)) {
      invalidInputs++;
      return;
    }
    observe(prePrepare, prePrepare.view(), prePrepare.sequence());
    AgreementLog.Entry entry = log.find(prePrepare.sequence());
    if (changing || (entry != null && entry.prePrepare != null)) {
      staleInputs++; // not in the view yet, or a duplicate (or an equivocation, reported above)
      return;
    }
    for (ClientRequest request : prePrepare.batch()) {
      if (request.problem(config.roster().cluster(), checks.verifier()).isPresent()) {
        invalidInputs++; // the primary made up or altered a request
        return;
      }
    }
    acceptPrePrepare(prePrepare);
  }

  /** Persists and takes a PrePrepare of this view; a backup answers with its Prepare. */
  private void acceptPrePrepare(PbftMessage.PrePrepare prePrepare) {
    persist.add(new PbftDurable.PrePrepared(prePrepare));
    AgreementLog.Entry entry = log.entry(prePrepare.sequence());
    entry.prePrepare = prePrepare;
    if (isPrimary()) {
      broadcastToPeers(prePrepare);
    } else {
      PbftMessage.PbftPrepare prepare = PbftMessage.PbftPrepare.signed(signer, view, prePrepare.sequence(),
          prePrepare.digest());
      entry.prepares.put(config.self(), prepare);
      broadcastToPeers(prepare);
    }
    checkPrepared(entry);
  }

  private void onPrepare(String from, PbftMessage.PbftPrepare prepare) {
    if (prepare.view() != view || !inWindow(prepare.sequence())) {
      staleInputs++;
      return;
    }
    AgreementLog.Entry known = log.find(prepare.sequence());
    if (known != null && prepare.equals(known.prepares.get(from))) {
      staleInputs++; // a retransmission of what was checked already
      return;
    }
    if (from.equals(primary()) || !checks.verifies(prepare)) {
      invalidInputs++; // the primary's PrePrepare is its prepare; it sends no other
      return;
    }
    observe(prepare, prepare.view(), prepare.sequence());
    if (changing) {
      staleInputs++;
      return;
    }
    AgreementLog.Entry entry = log.entry(prepare.sequence());
    entry.prepares.putIfAbsent(from, prepare);
    checkPrepared(entry);
  }

  /** Prepared: the PrePrepare and 2f matching Prepares (the primary's PrePrepare counts as its vote). */
  private void checkPrepared(AgreementLog.Entry entry) {
    if (entry.prePrepare == null || entry.commitSent) {
      return;
    }
    List<PbftMessage.PbftPrepare> matching = entry.matchingPrepares();
    List<String> voters = new ArrayList<>();
    voters.add(primary());
    for (PbftMessage.PbftPrepare prepare : matching) {
      voters.add(prepare.replica());
    }
    if (!quorum.reached(voters)) {
      return;
    }
    PbftMessage.PreparedCertificate certificate = new PbftMessage.PreparedCertificate(entry.prePrepare, matching);
    log.prepared(certificate);
    persist.add(new PbftDurable.Prepared(certificate));
    entry.commitSent = true;
    PbftMessage.Commit commit = PbftMessage.Commit.signed(signer, view, entry.sequence, entry.prePrepare.digest());
    entry.commits.put(config.self(), commit);
    broadcastToPeers(commit);
    checkCommitted(entry);
  }

  private void onCommit(String from, PbftMessage.Commit commit) {
    if (commit.view() != view || !inWindow(commit.sequence())) {
      knownAhead = Math.max(knownAhead, commit.sequence() + 1); // only a hint: fetched entries are checked
      staleInputs++;
      return;
    }
    AgreementLog.Entry known = log.find(commit.sequence());
    if (known != null && commit.equals(known.commits.get(from))) {
      staleInputs++; // a retransmission of what was checked already
      return;
    }
    if (!checks.verifies(commit)) {
      invalidInputs++;
      return;
    }
    observe(commit, commit.view(), commit.sequence());
    knownAhead = Math.max(knownAhead, commit.sequence() + 1);
    if (changing) {
      staleInputs++;
      return;
    }
    AgreementLog.Entry entry = log.entry(commit.sequence());
    entry.commits.putIfAbsent(from, commit);
    checkCommitted(entry);
  }

  /** Committed-local: prepared here, and 2f+1 matching Commits, which are the certificate. */
  void checkCommitted(AgreementLog.Entry entry) {
    if (!entry.commitSent || entry.committed) {
      return;
    }
    List<PbftMessage.Commit> matching = entry.matchingCommits();
    List<String> voters = new ArrayList<>();
    for (PbftMessage.Commit commit : matching) {
      voters.add(commit.replica());
    }
    if (!quorum.reached(voters)) {
      return;
    }
    entry.committed = true;
    commitAndExecute(entry, matching);
  }

  /** Hands a committed batch, with the Commits that certify it, to execution. */
  final void commitAndExecute(AgreementLog.Entry entry, List<PbftMessage.Commit> commits) {
    List<Vote> votes = new ArrayList<>();
    for (PbftMessage.Commit commit : commits) {
      votes.add(commit.vote());
    }
    VoteStatement statement = new VoteStatement(entry.sequence, Encoder.epoch(view), entry.prePrepare.digest());
    execution.commit(new PbftMessage.Certified(entry.sequence, entry.prePrepare.commands(),
        new QuorumCertificate(statement, votes)));
    executeReady();
  }

  private void executeReady() {
    boolean progressed = false;
    while (execution.canExecute()) {
      Decision decision = execution.executeNext();
      progressed = true;
      persist.add(new PbftDurable.Executed(decision));
      decisions.add(decision);
      for (Command command : decision.commands()) {
        if (requests.executed(command)) {
          long slot = execution.clients().appliedSlot(command);
          replies.add(new ClientReply.Committed(command, slot >= 0 ? slot : decision.slot()));
        }
      }
      long next = execution.nextToExecute();
      if (next % config.checkpointInterval() == 0 && next > checkpoints.low()) {
        PbftMessage.Checkpoint checkpoint = PbftMessage.Checkpoint.signed(signer, next, execution.stateDigest());
        checkpoints.own(checkpoint);
        broadcastToPeers(checkpoint);
        onVerifiedCheckpoint(checkpoint);
      }
    }
    if (progressed) {
      progressTick = now;
      knownAhead = Math.max(knownAhead, execution.nextToExecute());
      if (!changing) {
        fruitlessViewChanges = 0;
        requestDeadlineTick = requests.isEmpty() ? NONE : now + config.requestTimeoutTicks();
      }
    }
  }

  // ---- checkpoints ----

  private void onCheckpoint(String from, PbftMessage.Checkpoint checkpoint) {
    if (checkpoint.sequence() <= checkpoints.low() || checkpoint.sequence() % config.checkpointInterval() != 0) {
      staleInputs++;
      return;
    }
    knownAhead = Math.max(knownAhead, checkpoint.sequence());
    if (!checkpoints.holds(checkpoint.sequence())) {
      staleInputs++;
      return;
    }
    if (!checks.verifies(checkpoint)) {
      invalidInputs++;
      return;
    }
    onVerifiedCheckpoint(checkpoint);
  }

  private void onVerifiedCheckpoint(PbftMessage.Checkpoint checkpoint) {
    CheckpointProof proof = checkpoints.add(checkpoint);
    if (proof != null) {
      becomeStable(proof);
      if (isPrimary() && !changing) {
        proposeReady(); // the window moved
      }
    }
  }

  /** A checked stable checkpoint: h moves up and everything below goes. */
  private void becomeStable(CheckpointProof proof) {
    ByteString ownDigest = checkpoints.ownDigest(proof.sequence());
    if (ownDigest != null && !ownDigest.equals(proof.stateDigest())) {
      throw new IllegalStateException("2f+1 replicas certify another state at " + proof.sequence() + " than this one's");
    }
    if (!checkpoints.makeStable(proof)) {
      return;
    }
    persist.add(new PbftDurable.StableCheckpoint(proof));
    log.forgetBelow(proof.sequence());
    equivocations.forgetSequencesBelow(proof.sequence());
    knownAhead = Math.max(knownAhead, proof.sequence());
    nextSequence = Math.max(nextSequence, proof.sequence());
  }

  // ---- view change ----

  /** Leaves the current view for {@code newView}: no more agreement here until its NewView. */
  private void startViewChange(long nextView) {
    if (nextView <= view && (changing || nextView < view)) {
      return;
    }
    view = nextView;
    changing = true;
    newView = null;
    fruitlessViewChanges++;
    requestDeadlineTick = NONE;
    viewChangeDeadlineTick = NONE;
    log.newView();
    requests.newView();
    equivocations.forgetViewsBelow(view);
    viewChanges.forgetBelow(view);
    CheckpointProof stable = checkpoints.stable();
    ownViewChange = PbftMessage.ViewChange.signed(signer, view, stable.sequence(), stable.stateDigest(),
        stable.checkpoints(), log.preparedFrom(stable.sequence()));
    persist.add(new PbftDurable.ViewChangeSent(ownViewChange));
    broadcastToPeers(ownViewChange);
    onVerifiedViewChange(ownViewChange);
  }

  private void onViewChange(String from, PbftMessage.ViewChange viewChange) {
    if (viewChange.newView() < view || (viewChange.newView() == view && !changing)) {
      staleInputs++;
      if (viewChange.newView() == view && newView != null) {
        // It missed the NewView of the view it asks for; the NewView proves itself, so anyone may send it.
        Long sent = newViewSentTick.get(from);
        if (sent == null || now - sent >= config.retransmitTicks()) {
          newViewSentTick.put(from, now);
          send(from, newView);
        }
      }
      return;
    }
    if (viewChanges.contains(viewChange)) {
      staleInputs++; // a retransmission of what was checked already
      return;
    }
    if (checks.viewChangeProblem(viewChange).isPresent()) {
      invalidInputs++;
      return;
    }
    onVerifiedViewChange(viewChange);
  }

  private void onVerifiedViewChange(PbftMessage.ViewChange viewChange) {
    PbftMessage.ViewChange known = viewChanges.add(viewChange, changing ? view - 1 : view);
    if (known != null && !known.equals(viewChange) && !Arrays.equals(known.payload(), viewChange.payload())) {
      Evidence proof = new Evidence(viewChange.replica(), PbftMessage.VIEW_CHANGE, viewChange.newView(), 0,
          ByteString.copyFrom(known.payload()), known.signature(), ByteString.copyFrom(viewChange.payload()),
          viewChange.signature());
      evidence.add(proof);
    }
    // f+1 replicas want a higher view: at least one correct replica does, so join it.
    long joinable = viewChanges.joinableAbove(view, config.faultsTolerated() + 1);
    if (joinable > view) {
      startViewChange(joinable);
      return;
    }
    if (!changing) {
      return;
    }
    // The NewView timer runs once 2f+1 replicas left the old view: for this view, or for a higher
    // one (a replica that already moved on still counts, else those left behind would wait forever).
    if (viewChangeDeadlineTick == NONE && quorum.reached(viewChanges.sendersAtOrAbove(view))) {
      int doublings = Math.min(fruitlessViewChanges - 1, VIEW_CHANGE_DOUBLINGS_MAX);
      viewChangeDeadlineTick = now + ((long) config.viewChangeTimeoutTicks() << Math.max(doublings, 0));
    }
    List<PbftMessage.ViewChange> forView = viewChanges.forView(view);
    List<String> senders = new ArrayList<>();
    for (PbftMessage.ViewChange each : forView) {
      senders.add(each.replica());
    }
    if (isPrimary() && quorum.reached(senders)) {
      sendNewView(forView);
    }
  }

  /** As the new primary: 2f+1 ViewChanges (its own among them) and the PrePrepares they imply. */
  private void sendNewView(List<PbftMessage.ViewChange> available) {
    List<PbftMessage.ViewChange> chosen = new ArrayList<>();
    chosen.add(ownViewChange);
    List<String> senders = new ArrayList<>(List.of(config.self()));
    for (PbftMessage.ViewChange viewChange : available) {
      if (!quorum.reached(senders) && !viewChange.replica().equals(config.self())) {
        chosen.add(viewChange);
        senders.add(viewChange.replica());
      }
    }
    NewViewPlan plan = NewViewPlan.of(chosen);
    List<PbftMessage.PrePrepare> prePrepares = new ArrayList<>();
    for (int i = 0; i < plan.sequences().size(); i++) {
      prePrepares.add(PbftMessage.PrePrepare.signed(signer, view, plan.sequences().get(i), plan.batches().get(i)));
    }
    PbftMessage.NewView next = PbftMessage.NewView.signed(signer, view, chosen, prePrepares);
    enterView(next, plan);
    broadcastToPeers(next);
  }

  private void onNewView(String from, PbftMessage.NewView next) {
    if (next.view() < view || (next.view() == view && !changing)) {
      staleInputs++;
      return;
    }
    if (!from.equals(config.primary(next.view())) || !checks.verifies(next)) {
      invalidInputs++;
      return;
    }
    NewViewPlan plan = NewViewPlan.of(next.viewChanges());
    if (!validNewView(next, plan)) {
      invalidInputs++;
      return;
    }
    enterView(next, plan);
  }

  /**
   * A NewView is valid when its ViewChanges come from a quorum of distinct replicas, are for its
   * view and each checks out, and its PrePrepares are exactly what they imply, signed by its primary.
   */
  boolean validNewView(PbftMessage.NewView next, NewViewPlan plan) {
    List<String> senders = new ArrayList<>();
    for (PbftMessage.ViewChange viewChange : next.viewChanges()) {
      if (viewChange.newView() != next.view() || senders.contains(viewChange.replica())
          || checks.viewChangeProblem(viewChange).isPresent()) {
        return false;
      }
      senders.add(viewChange.replica());
    }
    if (!quorum.reached(senders) || !plan.matches(next.prePrepares(), next.view(), config.primary(next.view()))) {
      return false;
    }
    for (PbftMessage.PrePrepare prePrepare : next.prePrepares()) {
      if (!checks.verifies(prePrepare)) {
        return false;
      }
    }
    return true;
  }

  private void enterView(PbftMessage.NewView next, NewViewPlan plan) {
    view = next.view();
    changing = false;
    newView = next;
    ownViewChange = null;
    viewChangeDeadlineTick = NONE;
    log.newView();
    requests.newView();
    equivocations.forgetViewsBelow(view);
    viewChanges.forgetBelow(view + 1);
    persist.add(new PbftDurable.ViewEntered(view, next));
    nextSequence = plan.nextSequence();
    if (plan.stable().sequence() > checkpoints.low()) {
      becomeStable(plan.stable()); // checked with its ViewChange
    }
    for (PbftMessage.PrePrepare prePrepare : next.prePrepares()) {
      if (inWindow(prePrepare.sequence())) {
        acceptPrePrepare(prePrepare);
        requests.proposed(prePrepare.batch());
      }
    }
    requestDeadlineTick = requests.isEmpty() ? NONE : now + config.requestTimeoutTicks();
    if (isPrimary()) {
      proposeReady();
    } else {
      for (ClientRequest request : requests.all()) {
        send(primary(), new PbftMessage.Request(request));
      }
    }
  }

  // ---- catch-up ----

  private void maybeFetch() {
    if (knownAhead <= execution.nextToExecute() && checkpoints.low() <= execution.nextToExecute()) {
      return;
    }
    if (now - progressTick < config.retransmitTicks() || (fetchSentTick != NONE && now - fetchSentTick < config.retransmitTicks())) {
      return;
    }
    fetchSentTick = now;
    // Peers in turn: a peer that does not answer, or answers with nothing that checks, costs one round.
    String peer = members.get(fetchPeer++ % members.size());
    if (peer.equals(config.self())) {
      peer = members.get(fetchPeer++ % members.size());
    }
    send(peer, new PbftMessage.FetchRequest(execution.nextToExecute()));
  }

  private void onFetchRequest(String from, PbftMessage.FetchRequest request) {
    List<PbftMessage.Certified> entries = execution.executedFrom(request.fromSequence(), config.catchUpSequencesMax());
    if (entries.isEmpty() && checkpoints.low() <= request.fromSequence()) {
      staleInputs++;
      return;
    }
    send(from, new PbftMessage.FetchReply(entries, checkpoints.stable()));
  }

  private void onFetchReply(PbftMessage.FetchReply reply) {
    if (reply.stable().sequence() > checkpoints.low()) {
      if (checks.checkpointProblem(reply.stable()).isPresent()) {
        invalidInputs++;
        return;
      }
      becomeStable(reply.stable()); // 2f+1 signed it: the window moves even before we executed that far
      if (isPrimary() && !changing) {
        proposeReady();
      }
    }
    long horizon = execution.nextToExecute() + config.retainedSequences();
    for (PbftMessage.Certified entry : reply.entries()) {
      if (entry.sequence() < execution.nextToExecute() || entry.sequence() >= horizon) {
        staleInputs++;
        continue;
      }
      if (Certificates.problem(entry.certificate(), entry.sequence(), SlotDigest.of(entry.commands()), quorum,
          checks.verifier()).isPresent()) {
        invalidInputs++;
        return;
      }
      execution.commit(entry);
    }
    long before = execution.nextToExecute();
    executeReady();
    if (execution.nextToExecute() > before) {
      fetchSentTick = NONE; // it helped: ask again at once if still behind
    }
  }

  // ---- helpers ----

  private void observe(PbftMessage.Signed message, long messageView, long sequence) {
    Evidence found = equivocations.observe(message, messageView, sequence);
    if (found != null) {
      evidence.add(found);
    }
  }

  private boolean isPrimary() {
    return primary().equals(config.self());
  }

  private String primary() {
    return members.get((int) Math.floorMod(view, (long) members.size()));
  }

  private void broadcastToPeers(PbftMessage message) {
    for (String peer : members) {
      if (!peer.equals(config.self())) {
        messages.add(new Envelope(peer, message));
      }
    }
  }

  private void send(String to, PbftMessage message) {
    if (to.equals(config.self())) {
      toSelf.add(message);
    } else {
      messages.add(new Envelope(to, message));
    }
  }

  // ---- observation, for drivers, metrics and the simulator's checker ----

  public long view() {
    return view;
  }

  /** True between sending a ViewChange and entering the new view. */
  public boolean isChangingView() {
    return changing;
  }

  public boolean isPrimaryOfView() {
    return !changing && isPrimary();
  }

  /** The low watermark h: the stable checkpoint's sequence. */
  public long lowWatermark() {
    return checkpoints.low();
  }

  public long highWatermark() {
    return checkpoints.low() + config.watermarkWindow();
  }

  public long nextToExecute() {
    return execution.nextToExecute();
  }

  public long invalidInputs() {
    return invalidInputs;
  }

  public long staleInputs() {
    return staleInputs;
  }

  public int pendingRequests() {
    return requests.size();
  }

  @Override
  public String toString() {
    return "PbftReplica[" + config.self() + " view=" + view + (changing ? " changing" : "") + " primary=" + primary()
        + " h=" + checkpoints.low() + " next=" + execution.nextToExecute() + " nextSeq=" + nextSequence
        + " known=" + knownAhead + " pending=" + requests.size() + " committedWaiting=" + execution.waiting()
        + " reqDeadline=" + requestDeadlineTick + " vcDeadline=" + viewChangeDeadlineTick + " now=" + now + "]";
  }
}
