package dev.chil.node.core.paxos;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Certificates;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientTable;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.ReadReply;
import dev.chil.node.core.common.Quorum;
import dev.chil.node.core.common.Replica;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One Multi-Paxos replica: acceptor, learner and (when elected) proposer, as a pure state machine.
 *
 * <p>Roles: a FOLLOWER that hears nothing from a leader for an election timeout (plus a seeded
 * random backoff), or whose leader the failure detector suspects, becomes a CANDIDATE with a
 * higher ballot and runs phase 1 once for every slot from its next undelivered one. With promises
 * from a quorum it becomes LEADER, re-proposes the highest-ballot accepted value of each open slot,
 * fills gaps with no-ops, then runs phase 2 per batch of client commands, with a bounded number of
 * slots in flight. Anyone who hears of a higher ballot steps down.
 *
 * <p>Bad input: from a non-member or malformed for its sender, or with a signature or certificate
 * that does not verify, is invalid (dropped, counted); a lower ballot or an old slot is stale
 * (ignored, counted, answered with a Nack where that helps the sender step down); a broken
 * invariant throws {@link IllegalStateException}.
 *
 * <p>Catch-up: a peer behind asks for decided slots from its next undelivered one. Slots still in
 * memory are sent at once; older ones, pruned from memory, are served by the runtime from the
 * audit log (see {@link CatchUpFromAudit}), so a replica down for any number of decisions catches
 * up. Until it has, it reports itself as {@linkplain #isLagging() lagging}.
 *
 * <p>Not final, and its transitions and a few checks package-private, only so that the
 * simulator's teeth tests can build deliberately broken variants in this package; nothing
 * outside the package can.
 */
public class PaxosReplica implements Replica {
  enum Role { FOLLOWER, CANDIDATE, LEADER }

  final PaxosConfig config;
  private final Signer signer;
  private final Verifier verifier;
  private final Quorum quorum;
  private final SplittableRandom random;
  private final Acceptor acceptor;
  private final SlotLog log;

  private Role role = Role.FOLLOWER;
  Ballot ballot = Ballot.ZERO; // the ballot this node stands or leads with
  private Ballot highestSeen;
  private String leaderHint;
  private long now;
  private long electionDeadlineTick;

  // Candidate.
  private long prepareFromSlot;
  private final TreeMap<String, PaxosMessage.Promise> promises = new TreeMap<>();
  private long prepareSentTick;

  // Leader.
  private long nextSlot;
  private final TreeMap<Long, Proposal> inFlight = new TreeMap<>();
  private final CommandQueue commands;
  private final ReadBarriers reads;
  private long heartbeatSentTick;

  // Learner catch-up.
  private long knownDeliveredUpTo;
  private long catchUpSentTick = Long.MIN_VALUE / 2;

  private long invalidInputs;
  private long staleInputs;

  // The output being built by the current step; messages to self are handled before it returns.
  private List<Durable> persist = new ArrayList<>();
  private List<Envelope> messages = new ArrayList<>();
  private List<Decision> decisions = new ArrayList<>();
  private List<ClientReply> replies = new ArrayList<>();
  private List<ReadReply> readReplies = new ArrayList<>();
  private final ArrayDeque<PaxosMessage> toSelf = new ArrayDeque<>();

  /** A replica with empty storage: a new cluster member. */
  public PaxosReplica(PaxosConfig config, Signer signer, Verifier verifier) {
    this(config, signer, verifier, new PaxosStorageState());
  }

  /** A replica rebuilt after a restart from exactly what its outputs asked to persist. */
  public PaxosReplica(PaxosConfig config, Signer signer, Verifier verifier, PaxosStorageState stored) {
    this.config = Objects.requireNonNull(config, "config");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    Identity identity = signer.identity();
    if (!identity.name().equals(config.self()) || !identity.cluster().equals(config.roster().cluster())) {
      throw new IllegalArgumentException("signer " + identity + " is not node '" + config.self()
          + "' of cluster '" + config.roster().cluster() + "'");
    }
    this.quorum = new Quorum(config.roster(), config.quorumRule());
    this.commands = new CommandQueue(config);
    this.reads = new ReadBarriers(config.pendingCommandsMax());
    // Mixed with the promised round so a restarted node does not replay its old backoff sequence.
    this.random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + stored.promised().round());
    this.acceptor = new Acceptor(stored.promised(), stored.accepted().values());
    this.log = new SlotLog(config.retainedSlots(), new ClientTable(config.clientsMax(), config.requestsPerClientMax()));
    log.restore(stored.delivered());
    acceptor.pruneBelow(log.nextToDeliver() - config.retainedSlots());
    this.highestSeen = stored.promised();
    this.knownDeliveredUpTo = log.nextToDeliver();
    resetElectionDeadline();
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
          || !(receive.message() instanceof PaxosMessage message)) {
        invalidInputs++;
      } else {
        handle(receive.from(), message);
      }
    } else if (input instanceof Input.Submit submit) {
      onSubmit(submit.command());
    } else if (input instanceof Input.Suspect suspect) {
      onSuspect(suspect.peer());
    } else if (input instanceof Input.ReadBarrier barrier) {
      onReadBarrier(barrier.id());
    } else {
      throw new AssertionError("unknown input " + input);
    }
    while (!toSelf.isEmpty()) {
      handle(config.self(), toSelf.poll());
    }
    for (long id : reads.ready(log.nextToDeliver())) {
      readReplies.add(new ReadReply.Ready(id));
    }
    Output output = new Output(persist, messages, decisions, replies, readReplies);
    persist = new ArrayList<>();
    messages = new ArrayList<>();
    decisions = new ArrayList<>();
    replies = new ArrayList<>();
    readReplies = new ArrayList<>();
    return output;
  }

  private void handle(String from, PaxosMessage message) {
    if (message instanceof PaxosMessage.Prepare prepare) {
      onPrepare(from, prepare);
    } else if (message instanceof PaxosMessage.Promise promise) {
      onPromise(from, promise);
    } else if (message instanceof PaxosMessage.Accept accept) {
      onAccept(from, accept);
    } else if (message instanceof PaxosMessage.Accepted accepted) {
      onAccepted(from, accepted);
    } else if (message instanceof PaxosMessage.Decide decide) {
      onDecide(decide);
    } else if (message instanceof PaxosMessage.Nack nack) {
      onNack(nack);
    } else if (message instanceof PaxosMessage.Heartbeat heartbeat) {
      onHeartbeat(from, heartbeat);
    } else if (message instanceof PaxosMessage.CatchUpRequest request) {
      onCatchUpRequest(from, request);
    } else if (message instanceof PaxosMessage.CatchUpReply reply) {
      onCatchUpReply(from, reply);
    } else {
      throw new AssertionError("unknown message " + message);
    }
  }

  // ---- time ----

  private void onTick() {
    switch (role) {
      case FOLLOWER -> {
        if (now >= electionDeadlineTick) {
          becomeCandidate();
        } else if (leaderHint != null) {
          maybeCatchUp(leaderHint);
        }
      }
      case CANDIDATE -> {
        if (now >= electionDeadlineTick) {
          becomeCandidate();
        } else if (now - prepareSentTick >= config.retransmitTicks()) {
          prepareSentTick = now;
          PaxosMessage.Prepare prepare = new PaxosMessage.Prepare(ballot, prepareFromSlot);
          for (String peer : config.roster().names()) {
            if (!promises.containsKey(peer)) {
              send(peer, prepare);
            }
          }
        }
      }
      case LEADER -> {
        if (now - heartbeatSentTick >= config.heartbeatIntervalTicks()) {
          sendHeartbeats();
        }
        for (Proposal proposal : inFlight.values()) {
          if (now - proposal.sentTick >= config.retransmitTicks()) {
            proposal.sentTick = now;
            PaxosMessage.Accept accept = new PaxosMessage.Accept(ballot, proposal.slot, proposal.commands);
            for (String peer : config.roster().names()) {
              if (!proposal.votes.containsKey(peer)) {
                send(peer, accept);
              }
            }
          }
        }
        proposeReady();
        proposeReadConfirmation();
      }
    }
  }

  private void onSuspect(String peer) {
    if (role == Role.FOLLOWER && peer.equals(leaderHint)) {
      // Stand soon, but still after a random backoff, so that all who suspect do not stand at once.
      electionDeadlineTick = Math.min(electionDeadlineTick, now + 1 + random.nextInt(config.electionBackoffTicksMax() + 1));
      leaderHint = null;
    }
  }

  private void resetElectionDeadline() {
    electionDeadlineTick = now + config.electionTimeoutTicks() + random.nextInt(config.electionBackoffTicksMax() + 1);
  }

  // ---- election ----

  /** Stands for election with a ballot above every ballot this node has seen. */
  void becomeCandidate() {
    enterBallot(new Ballot(Math.max(highestSeen.round(), ballot.round()) + 1, config.self()));
    prepareSentTick = now;
    broadcast(new PaxosMessage.Prepare(ballot, prepareFromSlot));
  }

  /** Takes {@code newBallot} as a candidate: forgets any leadership and promises gathered. */
  final void enterBallot(Ballot newBallot) {
    abandonClients(null);
    role = Role.CANDIDATE;
    ballot = newBallot;
    observe(newBallot);
    leaderHint = null;
    promises.clear();
    prepareFromSlot = log.nextToDeliver();
    resetElectionDeadline();
  }

  /**
   * Phase 1 is complete: re-propose, in this ballot, the highest-ballot value any promise carries
   * for each open slot, a no-op where none does, then open for client commands.
   */
  final void becomeLeader() {
    role = Role.LEADER;
    leaderHint = config.self();
    TreeMap<Long, AcceptedEntry> highest = new TreeMap<>();
    for (PaxosMessage.Promise promise : promises.values()) {
      for (AcceptedEntry entry : promise.accepted()) {
        highest.put(entry.slot(), reproposal(highest.get(entry.slot()), entry));
      }
    }
    long lastOpenSlot = Math.max(highest.isEmpty() ? -1 : highest.lastKey(), log.highestDecided());
    for (long slot = log.nextToDeliver(); slot <= lastOpenSlot; slot++) {
      if (!log.isDecided(slot)) {
        AcceptedEntry entry = highest.get(slot);
        propose(slot, entry == null ? List.of() : entry.commands());
      }
    }
    nextSlot = Math.max(lastOpenSlot + 1, log.nextToDeliver());
    sendHeartbeats();
    proposeReady();
  }

  /**
   * Of the values promises report for one slot, the one a new leader must re-propose: the one
   * accepted in the highest ballot, since only it can have been chosen.
   */
  AcceptedEntry reproposal(AcceptedEntry known, AcceptedEntry reported) {
    return known == null || reported.ballot().isAbove(known.ballot()) ? reported : known;
  }

  private void stepDown(String newLeaderHint) {
    abandonClients(newLeaderHint);
    role = Role.FOLLOWER;
    leaderHint = newLeaderHint;
    promises.clear();
    resetElectionDeadline();
  }

  /** Sends waiting clients elsewhere: this node no longer leads, so it cannot promise them. */
  private void abandonClients(String newLeaderHint) {
    for (Command command : commands.abandon()) {
      replies.add(new ClientReply.Redirect(command, newLeaderHint));
    }
    for (long id : reads.abandon()) {
      readReplies.add(new ReadReply.Redirect(id, newLeaderHint));
    }
    inFlight.clear();
  }

  private void observe(Ballot seen) {
    if (seen.isAbove(highestSeen)) {
      highestSeen = seen;
    }
  }

  /** A message in a higher ballot than ours: whoever holds it outranks us. */
  private void outrankedBy(Ballot other) {
    observe(other);
    if (role != Role.FOLLOWER && ballot.isBelow(other)) {
      stepDown(other.node());
    }
  }

  // ---- phase 1 ----

  private void onPrepare(String from, PaxosMessage.Prepare prepare) {
    if (!prepare.ballot().node().equals(from)) {
      invalidInputs++;
      return;
    }
    if (prepare.ballot().isBelow(acceptor.promised())) {
      staleInputs++;
      send(from, new PaxosMessage.Nack(prepare.ballot(), acceptor.promised()));
      return;
    }
    if (prepare.ballot().isAbove(acceptor.promised())) {
      persist.add(acceptor.promise(prepare.ballot()));
    }
    outrankedBy(prepare.ballot());
    if (!from.equals(config.self()) && role == Role.FOLLOWER) {
      leaderHint = null;
      resetElectionDeadline(); // give the candidate time to finish
    }
    long fromSlot = Math.max(prepare.fromSlot(), acceptor.retainedFromSlot());
    send(from, new PaxosMessage.Promise(prepare.ballot(), acceptor.retainedFromSlot(), acceptor.acceptedFrom(fromSlot)));
  }

  private void onPromise(String from, PaxosMessage.Promise promise) {
    if (role != Role.CANDIDATE || !promise.ballot().equals(ballot)) {
      staleInputs++;
      return;
    }
    for (AcceptedEntry entry : promise.accepted()) {
      if (entry.ballot().isAbove(promise.ballot())) {
        invalidInputs++; // an acceptor cannot have accepted above what it just promised
        return;
      }
    }
    if (promise.retainedFromSlot() > prepareFromSlot) {
      // That acceptor pruned slots we have not learned, so we would not see values chosen there:
      // we cannot lead from this far behind. Stand back and catch up first.
      staleInputs++;
      knownDeliveredUpTo = Math.max(knownDeliveredUpTo, promise.retainedFromSlot());
      stepDown(null);
      maybeCatchUp(from);
      return;
    }
    promises.put(from, promise);
    if (quorum.reached(promises.keySet())) {
      becomeLeader();
    }
  }

  // ---- phase 2 ----

  private void propose(long slot, List<Command> commands) {
    Proposal proposal = new Proposal(slot, ballot, commands, now);
    inFlight.put(slot, proposal);
    broadcast(new PaxosMessage.Accept(ballot, slot, proposal.commands));
  }

  private void onAccept(String from, PaxosMessage.Accept accept) {
    if (!accept.ballot().node().equals(from)) {
      invalidInputs++;
      return;
    }
    if (accept.ballot().isBelow(acceptor.promised())) {
      staleInputs++;
      send(from, new PaxosMessage.Nack(accept.ballot(), acceptor.promised()));
      return;
    }
    if (accept.slot() < acceptor.retainedFromSlot()) {
      // Decided and delivered here long ago: a leader that proposes it is behind, and leaders do
      // not ask for catch-up, so it is sent what it missed (it checks every certificate).
      staleInputs++;
      serveCatchUp(from, accept.slot());
      return;
    }
    if (accept.slot() >= log.nextToDeliver() + config.retainedSlots()) {
      staleInputs++; // beyond the window this acceptor keeps: it is behind and catches up first
      knownDeliveredUpTo = Math.max(knownDeliveredUpTo, accept.slot());
      return;
    }
    if (accept.ballot().isAbove(acceptor.promised())) {
      persist.add(acceptor.promise(accept.ballot()));
    }
    outrankedBy(accept.ballot());
    if (role == Role.FOLLOWER) {
      leaderHint = from;
      resetElectionDeadline();
    }
    persist.add(acceptor.accept(accept.slot(), accept.ballot(), accept.commands()));
    ByteString digest = SlotDigest.of(accept.commands());
    VoteStatement statement = new VoteStatement(accept.slot(), accept.ballot().toBytes(), digest);
    ByteString signature = ByteString.copyFrom(signer.sign(VoteStatement.MESSAGE_TYPE, statement.payload()));
    send(from, new PaxosMessage.Accepted(accept.ballot(), accept.slot(), digest, signature));
  }

  private void onAccepted(String from, PaxosMessage.Accepted accepted) {
    Proposal proposal = inFlight.get(accepted.slot());
    if (role != Role.LEADER || proposal == null || proposal.votes.containsKey(from)) {
      staleInputs++;
      return;
    }
    VoteStatement statement = votedStatement(proposal, accepted);
    if (statement == null) {
      staleInputs++;
      return;
    }
    if (!accepted.digest().equals(proposal.digest)) {
      invalidInputs++;
      return;
    }
    if (!from.equals(config.self())) {
      try {
        verifier.verify(Identity.node(config.roster().cluster(), from), VoteStatement.MESSAGE_TYPE,
            statement.payload(), accepted.signature().toByteArray());
      } catch (SignatureVerificationException e) {
        invalidInputs++;
        return;
      }
    }
    proposal.votes.put(from, accepted.signature());
    if (quorum.reached(proposal.votes.keySet())) {
      inFlight.remove(proposal.slot);
      reads.ownQuorum(proposal.slot);
      if (log.isDecided(proposal.slot)) {
        // Paxos makes every value chosen for a slot the same; two different ones mean it broke.
        PaxosMessage.Decide known = log.get(proposal.slot);
        if (known != null && !SlotDigest.of(known.commands()).equals(proposal.digest)) {
          throw new IllegalStateException("two values chosen for slot " + proposal.slot);
        }
        return;
      }
      PaxosMessage.Decide decide = new PaxosMessage.Decide(proposal.slot, proposal.commands, proposal.certificate());
      for (String peer : config.roster().names()) {
        if (!peer.equals(config.self())) {
          send(peer, decide);
        }
      }
      learn(decide);
      proposeReady();
    }
  }

  /**
   * The statement a vote must be a signature of to count for {@code proposal}, or null when it is
   * a vote in another ballot (late, from an earlier round of this slot): a certificate's votes
   * must all sign the one statement it carries.
   */
  VoteStatement votedStatement(Proposal proposal, PaxosMessage.Accepted accepted) {
    return accepted.ballot().equals(ballot) && accepted.ballot().equals(proposal.ballot) ? proposal.statement() : null;
  }

  private void onNack(PaxosMessage.Nack nack) {
    if (nack.ballot().equals(ballot)) {
      outrankedBy(nack.promised());
    } else {
      observe(nack.promised());
      staleInputs++;
    }
  }

  // ---- learning ----

  private void onDecide(PaxosMessage.Decide decide) {
    if (log.isDecided(decide.slot())) {
      staleInputs++;
      return;
    }
    if (decide.slot() >= log.nextToDeliver() + config.retainedSlots()) {
      staleInputs++; // too far ahead to hold; catch-up will bring it in order
      knownDeliveredUpTo = Math.max(knownDeliveredUpTo, decide.slot());
      return;
    }
    if (certificateProblem(decide).isPresent()) {
      invalidInputs++;
      return;
    }
    learn(decide);
  }

  /** What is wrong with a Decide's certificate from a peer, if anything: it must prove the slot's commands. */
  Optional<String> certificateProblem(PaxosMessage.Decide decide) {
    return Certificates.problem(decide.certificate(), decide.slot(), SlotDigest.of(decide.commands()), quorum, verifier);
  }

  private void learn(PaxosMessage.Decide decide) {
    log.record(decide);
    inFlight.remove(decide.slot());
    while (log.canDeliver()) {
      Decision decision = log.deliver();
      persist.add(new PaxosDurable.Delivered(decision));
      decisions.add(decision);
      for (Command command : decision.commands()) {
        if (commands.answer(command)) {
          long slot = log.clients().appliedSlot(command);
          replies.add(new ClientReply.Committed(command, slot >= 0 ? slot : decision.slot()));
        }
      }
    }
    forgetAcceptedBelowWindow();
    knownDeliveredUpTo = Math.max(knownDeliveredUpTo, log.nextToDeliver());
  }

  /**
   * The acceptor forgets values of slots delivered more than a window ago: they are decided, and
   * the audit log keeps them. Bounds the acceptor's memory and what a Promise carries, and, through
   * the record it persists, the accepted rows on disk.
   */
  void forgetAcceptedBelowWindow() {
    acceptor.pruneBelow(log.nextToDeliver() - config.retainedSlots()).ifPresent(persist::add);
  }

  private void onHeartbeat(String from, PaxosMessage.Heartbeat heartbeat) {
    if (!heartbeat.ballot().node().equals(from)) {
      invalidInputs++;
      return;
    }
    if (heartbeat.ballot().isBelow(acceptor.promised())) {
      staleInputs++;
      send(from, new PaxosMessage.Nack(heartbeat.ballot(), acceptor.promised()));
      return;
    }
    outrankedBy(heartbeat.ballot());
    if (role == Role.FOLLOWER) {
      leaderHint = from;
      resetElectionDeadline();
    }
    knownDeliveredUpTo = Math.max(knownDeliveredUpTo, heartbeat.deliveredUpTo());
    maybeCatchUp(from);
  }

  private void maybeCatchUp(String peer) {
    if (knownDeliveredUpTo > log.nextToDeliver() && !peer.equals(config.self())
        && now - catchUpSentTick >= config.retransmitTicks()) {
      catchUpSentTick = now;
      send(peer, new PaxosMessage.CatchUpRequest(log.nextToDeliver()));
    }
  }

  private void onCatchUpRequest(String from, PaxosMessage.CatchUpRequest request) {
    if (!serveCatchUp(from, request.fromSlot())) {
      staleInputs++; // nothing to give: not decided here yet
    }
  }

  /** Sends {@code peer} decided slots from {@code fromSlot} on, if any; false when there are none. */
  private boolean serveCatchUp(String peer, long fromSlot) {
    long firstRetained = log.firstRetained();
    if (fromSlot < firstRetained) {
      // Pruned from memory but delivered here, so in the audit log: the runtime serves it there.
      int slots = (int) Math.min(config.catchUpSlotsMax(), firstRetained - fromSlot);
      messages.add(new Envelope(peer, new CatchUpFromAudit(fromSlot, slots)));
      return true;
    }
    List<PaxosMessage.Decide> decided = log.decidedFrom(fromSlot, config.catchUpSlotsMax());
    if (decided.isEmpty()) {
      return false;
    }
    send(peer, new PaxosMessage.CatchUpReply(decided));
    return true;
  }

  private void onCatchUpReply(String from, PaxosMessage.CatchUpReply reply) {
    long before = log.nextToDeliver();
    for (PaxosMessage.Decide decide : reply.decisions()) {
      onDecide(decide);
    }
    if (log.nextToDeliver() > before && knownDeliveredUpTo > log.nextToDeliver()) {
      catchUpSentTick = now;
      send(from, new PaxosMessage.CatchUpRequest(log.nextToDeliver()));
    }
  }

  // ---- clients and batching ----

  private void onSubmit(Command command) {
    long appliedSlot = log.clients().appliedSlot(command);
    if (appliedSlot >= 0) {
      replies.add(new ClientReply.Committed(command, appliedSlot));
      return;
    }
    if (role != Role.LEADER) {
      replies.add(new ClientReply.Redirect(command, config.self().equals(leaderHint) ? null : leaderHint));
      return;
    }
    switch (commands.offer(command, now)) {
      case QUEUED -> proposeReady();
      case ALREADY_WAITING -> { } // a retry of a command queued or in flight: answered on delivery
      case TOO_LARGE -> replies.add(new ClientReply.Rejected(command, "command of " + CommandQueue.bytes(command)
          + " bytes exceeds batchBytesMax " + config.batchBytesMax()));
      case FULL -> replies.add(new ClientReply.Rejected(command, "leader queue full; retry later"));
    }
  }

  /** Proposes batches while the pipeline has room and a batch is full or has waited long enough. */
  private void proposeReady() {
    while (role == Role.LEADER && inFlight.size() < config.pipelineSlotsMax()) {
      List<Command> batch = commands.nextBatch(now);
      if (batch == null) {
        return;
      }
      propose(nextSlot++, batch);
    }
  }

  /** A no-op slot for reads still waiting for a slot proposed after they arrived, if none was since. */
  private void proposeReadConfirmation() {
    if (reads.neededFromSlot() >= nextSlot && inFlight.size() < config.pipelineSlotsMax()) {
      propose(nextSlot++, List.of());
    }
  }

  private void onReadBarrier(long id) {
    if (role != Role.LEADER) {
      readReplies.add(new ReadReply.Redirect(id, config.self().equals(leaderHint) ? null : leaderHint));
    } else if (!reads.add(id, nextSlot)) {
      readReplies.add(new ReadReply.Rejected(id, "too many reads waiting; retry later"));
    }
    // The confirming no-op waits for the next tick (or rides the next batch), so that every read
    // arriving within a tick shares one slot. It must be proposed after the read arrived: an
    // earlier slot's acceptances may predate the read, and prove nothing about leading after it.
  }

  private void sendHeartbeats() {
    heartbeatSentTick = now;
    PaxosMessage.Heartbeat heartbeat = new PaxosMessage.Heartbeat(ballot, log.nextToDeliver());
    for (String peer : config.roster().names()) {
      if (!peer.equals(config.self())) {
        send(peer, heartbeat);
      }
    }
  }

  // ---- sending ----

  private void broadcast(PaxosMessage message) {
    for (String peer : config.roster().names()) {
      send(peer, message);
    }
  }

  private void send(String to, PaxosMessage message) {
    if (to.equals(config.self())) {
      toSelf.add(message);
    } else {
      messages.add(new Envelope(to, message));
    }
  }

  // ---- observation, for drivers, metrics and the simulator's checker ----

  public boolean isLeader() {
    return role == Role.LEADER;
  }

  public boolean isCandidate() {
    return role == Role.CANDIDATE;
  }

  public Ballot ballot() {
    return ballot;
  }

  public Ballot promised() {
    return acceptor.promised();
  }

  /** What this acceptor holds accepted, in slot order (a copy). */
  public List<AcceptedEntry> accepted() {
    return acceptor.acceptedFrom(0);
  }

  public long nextToDeliver() {
    return log.nextToDeliver();
  }

  /** How many decided slots this replica knows of (from heartbeats and messages) but has not delivered. */
  public long slotsBehind() {
    return Math.max(0, knownDeliveredUpTo - log.nextToDeliver());
  }

  /**
   * Behind by more than a leader keeps in flight: catching up, not merely following. Such a
   * replica's vote is missing from quorums, so the cluster tolerates one fault fewer until it is back.
   */
  public boolean isLagging() {
    return slotsBehind() > config.pipelineSlotsMax();
  }

  /** Slots this leader proposed and has not seen decided. */
  public int slotsInFlight() {
    return inFlight.size();
  }

  /** Decided slots held in memory (delivered ones kept for catch-up and undelivered ones ahead). */
  public int decidedSlotsHeld() {
    return log.size();
  }

  /** Slots whose accepted value the acceptor holds in memory. */
  public int acceptedSlotsHeld() {
    return acceptor.size();
  }

  public String leaderHint() {
    return leaderHint;
  }

  public long invalidInputs() {
    return invalidInputs;
  }

  public long staleInputs() {
    return staleInputs;
  }

  /** Commands queued or in flight at this leader that a client waits on. */
  public int waitingClients() {
    return commands.waiting();
  }

  @Override
  public String toString() {
    return "PaxosReplica[" + config.self() + " " + role + " ballot=" + ballot + " promised=" + acceptor.promised()
        + " next=" + log.nextToDeliver() + " known=" + knownDeliveredUpTo + " leader=" + leaderHint
        + " inFlight=" + inFlight.keySet() + " pending=" + commands.pending() + " waiting=" + commands.waiting()
        + " deadline=" + electionDeadlineTick + " now=" + now + "]";
  }
}
