package dev.chil.node.core.paxos.sim;

import dev.chil.audit.chain.Command;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.ReadReply;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic simulation of a Paxos cluster: seed, then a fault profile drawn from it, then a
 * fault phase (drops, duplicates, delays, reordering, late delivery far past election timeouts and
 * bursts of held messages when a link heals, asymmetric partitions, crashes with and without
 * losing the step in progress, restarts, false suspicions, forged, corrupted and replayed
 * messages, late client retries, reads sent to deposed leaders with empty pipelines) with every
 * safety invariant and a bound on every replica's memory checked after every step, then a
 * liveness phase (everything healed and restarted) that must apply every submitted command on
 * every replica and answer every proposal and read within a bounded number of ticks. Retention
 * windows are drawn small (down to 4 slots), so runs cross them many times and replicas that
 * fell behind catch up from the audit log.
 *
 * <p>Everything random comes from one {@link SplittableRandom} seeded with the seed, and only
 * ordered collections are iterated, so a seed replays exactly.
 */
public final class Simulation {
  public static final String CLUSTER = "sim";
  private static final int TRACE_EVENTS_MAX = Integer.getInteger("sim.trace", 60);

  /** What a completed run saw, for the test's summary. */
  public record Result(long seed, int nodes, long ticks, long slotsDecided, int commands, long messagesSent,
      long crashes, long partitions, long leaderChanges, long duplicatesSkipped, int unappliedAtHeal,
      long livenessTicks, long readsServed, int windowSlots, long lateMessages, long releasedAfterHealing,
      long forged, long corrupted, long replayed, long deposedReads, long auditCatchUps) {}

  /** The chance, per tick, that some reader asks a random node for a linearizable read. */
  static final double READ_PROBABILITY = 0.05;

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final List<String> names = new ArrayList<>();
  private final Roster roster;
  private final SimCrypto crypto;
  private final Verifier verifier;
  private final TreeMap<String, PaxosConfig> configs = new TreeMap<>();
  private final TreeMap<String, PaxosReplica> replicas = new TreeMap<>();
  private final TreeMap<String, PaxosStorageState> storage = new TreeMap<>();
  private final TreeSet<String> crashed = new TreeSet<>();
  private final TreeSet<String> isolated = new TreeSet<>();
  private final TreeMap<String, SimClient> clients = new TreeMap<>();
  private final Network network;
  private final Checker checker;
  private final Adversary adversary;
  // Kept as objects and formatted only when a run fails: formatting every step costs more than the step.
  private record TraceEvent(long tick, String node, Object event) {
    @Override
    public String toString() {
      String text = event.toString();
      text = text.length() > 300 ? text.substring(0, 300) + "..." : text;
      return "t" + tick + " " + (node == null ? text : node + " <- " + text);
    }
  }

  private final ArrayDeque<TraceEvent> trace = new ArrayDeque<>();
  private long now;
  private long crashes;
  private long partitions;
  private long leaderChanges;
  private long duplicatesSkipped;
  private long readsServed;
  private long nextReadId;
  // Read id → the commands acknowledged to clients when the read began: all must be seen.
  private final TreeMap<Long, Set<String>> readsInFlight = new TreeMap<>();
  // Read id → the node asked: a crash of that node ends the read (its client sees the connection drop).
  private final TreeMap<Long, String> readNodes = new TreeMap<>();
  private long deposedReads;
  private long auditCatchUps;
  private int unappliedAtHeal;
  private final TreeMap<String, Boolean> leading = new TreeMap<>();
  private boolean faultsOn;
  private boolean clientsMayStart = true;
  private boolean tracing = true;

  // The fault profile, drawn from the seed.
  private final double partitionProbability;
  private final double crashProbability;
  private final double restartProbability;
  private final double crashInStepProbability;
  private final double suspectProbability;
  private final TreeMap<String, Double> tickSkipProbability = new TreeMap<>();
  private final double forgeProbability;
  private final double corruptProbability;
  private final double replayProbability;
  private final double lateRetryProbability;
  private final double deposedReadProbability;
  private final int windowSlots;
  private final int faultTicks;
  private final int livenessTicksMax;

  public Simulation(long seed, SimOptions options) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
    for (int i = 1; i <= options.nodes(); i++) {
      names.add("n" + i);
    }
    // Some five-node seeds give n1 double weight: quorums are a majority of weight, not of nodes.
    TreeMap<String, Integer> weights = new TreeMap<>();
    boolean weighted = names.size() == 5 && seed % 4 == 1;
    for (String name : names) {
      weights.put(name, weighted && name.equals("n1") ? 2 : 1);
    }
    roster = Roster.of(CLUSTER, weights);
    crypto = options.crypto().create(CLUSTER, names, seed);
    verifier = crypto.verifier();
    network = new Network(random.split());
    checker = new Checker(roster, verifier, options.certificateQuorumChecked(), options.promiseMonotonicChecked());

    network.dropProbability = random.nextDouble() * 0.15;
    network.duplicateProbability = random.nextDouble() * 0.1;
    network.delayTicksMax = 1 + random.nextInt(6);
    double scale = options.faultScale();
    partitionProbability = Math.min(0.5, random.nextDouble() * 0.04 * scale);
    crashProbability = Math.min(0.5, random.nextDouble() * 0.02 * scale);
    restartProbability = Math.min(0.9, (0.05 + random.nextDouble() * 0.2) * scale);
    crashInStepProbability = random.nextDouble() < 0.3 ? 0.002 : 0;
    suspectProbability = random.nextDouble() * 0.02;
    for (String name : names) {
      // Clock skew: during faults a node misses this share of its ticks, so its timers run slow.
      tickSkipProbability.put(name, random.nextDouble() < 0.5 ? random.nextDouble() * 0.3 : 0.0);
    }
    // Late delivery: up to 4 % of fault-phase messages held 20-120 ticks (the election timeout is
    // 10, plus up to 10 of backoff); cut links keep their messages and release them in a burst.
    network.lateProbability = random.nextBoolean() ? random.nextDouble() * 0.04 : 0;
    network.holdOnCut = random.nextBoolean();
    adversary = new Adversary(random.split());
    forgeProbability = random.nextBoolean() ? random.nextDouble() * 0.05 : 0;
    corruptProbability = random.nextBoolean() ? random.nextDouble() * 0.02 : 0;
    replayProbability = random.nextBoolean() ? random.nextDouble() * 0.1 : 0;
    lateRetryProbability = random.nextBoolean() ? random.nextDouble() * 0.05 : 0;
    deposedReadProbability = random.nextDouble() * 0.5;
    // Small windows make every run cross them many times; one seed in eight runs four times longer.
    int[] windows = {4, 8, 16, 64, 2048};
    windowSlots = windows[random.nextInt(windows.length)];
    int length = random.nextInt(8) == 0 ? 4 : 1;
    faultTicks = options.faultTicks() * length;
    livenessTicksMax = options.livenessTicksMax() * length;
    int[] batchSizes = {1, 3, 100};
    int[] pipelines = {1, 3, 16};
    int batchCommandsMax = batchSizes[random.nextInt(batchSizes.length)];
    int pipelineSlotsMax = pipelines[random.nextInt(pipelines.length)];
    int batchDelayTicks = random.nextInt(3) == 0 ? 2 : 0;

    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      PaxosConfig config = PaxosConfig.defaults(name, roster, seed * 1_000 + i)
          .withQuorumRule(options.quorumRule())
          .withTiming(10, 10, 3, 6)
          .withBatching(batchCommandsMax, 1 << 16, batchDelayTicks, pipelineSlotsMax)
          .withMemory(windowSlots, 32, 200);
      configs.put(name, config);
      storage.put(name, new PaxosStorageState());
      replicas.put(name, create(name, new PaxosStorageState()));
    }
    // Half the seeds keep the leader busy; the others let clients pause, so leaders go idle.
    int thinkTicksMax = random.nextBoolean() ? 0 : 1 + random.nextInt(60);
    for (int i = 1; i <= options.clients(); i++) {
      String name = "client-" + i;
      clients.put(name, new SimClient(name, random.split(), options.requestsPerClient(), 25, thinkTicksMax));
    }
  }

  // ---- the random run ----

  /** Fault phase, then liveness phase. Throws {@link SimulationFailure} on any violation. */
  public Result run() {
    faultsOn = true;
    for (int i = 0; i < faultTicks; i++) {
      tick();
    }
    healAll();
    unappliedAtHeal = checker.unappliedCount();
    long healedTick = now;
    requireLiveness(livenessTicksMax);
    long livenessTicks = now - healedTick;
    return new Result(seed, names.size(), now, checker.slotsDecided(), checker.submittedCount(), network.sent,
        crashes, partitions, leaderChanges, duplicatesSkipped, unappliedAtHeal, livenessTicks, readsServed,
        windowSlots, network.late, network.releasedAfterHealing, adversary.forged, adversary.corrupted,
        adversary.replayed, deposedReads, auditCatchUps);
  }

  /** Stops faults and new requests, heals every link, restarts every crashed node. */
  public void healAll() {
    faultsOn = false;
    clientsMayStart = false;
    isolated.clear();
    network.healLinks(now);
    network.dropProbability = 0;
    network.duplicateProbability = 0;
    network.lateProbability = 0;
    for (String name : new ArrayList<>(crashed)) {
      restart(name);
    }
  }

  /** Every submitted command must be applied on every replica within {@code ticksMax} ticks. */
  public void requireLiveness(int ticksMax) {
    for (int i = 0; i < ticksMax; i++) {
      if (allDone()) {
        return;
      }
      tick();
    }
    if (!allDone()) {
      List<String> left = new ArrayList<>();
      if (unansweredProposals() > 0) {
        left.add(unansweredProposals() + " proposals unanswered");
      }
      if (!readsInFlight.isEmpty()) {
        left.add(readsInFlight.size() + " reads unanswered (first " + readsInFlight.firstKey() + " at "
            + readNodes.get(readsInFlight.firstKey()) + ")");
      }
      Command missing = checker.firstUnapplied();
      if (missing != null) {
        left.add(checker.unappliedCount() + " commands not applied everywhere (first " + Checker.key(missing) + ")");
      }
      fail("liveness: " + ticksMax + " ticks after healing, " + String.join(", ", left));
    }
  }

  private boolean allDone() {
    return unansweredProposals() == 0 && readsInFlight.isEmpty() && checker.firstUnapplied() == null;
  }

  private int unansweredProposals() {
    int count = 0;
    for (SimClient client : clients.values()) {
      if (client.current != null) {
        count++;
      }
    }
    return count;
  }

  // ---- one tick ----

  public void runTicks(int count) {
    for (int i = 0; i < count; i++) {
      tick();
    }
  }

  private void tick() {
    now++;
    if (faultsOn) {
      injectFaults();
    }
    for (SimClient client : clients.values()) {
      Command command = client.due(now, names, clientsMayStart);
      if (command != null) {
        checker.submitted(command);
        if (!crashed.contains(client.target) && !isolated.contains(client.target)) {
          step(client.target, new Input.Submit(command));
        }
      }
    }
    if (random.nextDouble() < READ_PROBABILITY) {
      read(names.get(random.nextInt(names.size())));
    }
    if (faultsOn) {
      readAtDeposedLeaders();
    }
    Network.InFlight message;
    while ((message = network.poll(now)) != null) {
      if (!crashed.contains(message.to())) {
        if (faultsOn) {
          adversary.delivered(message.from(), message.to(), message.message());
        }
        step(message.to(), new Input.Receive(message.from(), message.message()));
      }
    }
    for (String name : names) {
      if (!crashed.contains(name) && !(faultsOn && random.nextDouble() < tickSkipProbability.get(name))) {
        step(name, new Input.Tick());
      }
    }
  }

  /** A reader asks {@code reader} for a linearizable read, if it is up. */
  private void read(String reader) {
    if (!crashed.contains(reader)) {
      long id = nextReadId++;
      readsInFlight.put(id, checker.acknowledgedSoFar());
      readNodes.put(id, reader);
      step(reader, new Input.ReadBarrier(id));
    }
  }

  /**
   * Reads at a node that still believes it leads although another has promised a higher ballot,
   * while its pipeline is empty: the case where answering at once would return stale state.
   */
  private void readAtDeposedLeaders() {
    for (String name : names) {
      PaxosReplica replica = replicas.get(name);
      if (crashed.contains(name) || !replica.isLeader() || replica.slotsInFlight() > 0
          || random.nextDouble() >= deposedReadProbability) {
        continue;
      }
      for (String other : names) {
        if (replicas.get(other).promised().isAbove(replica.ballot())) {
          deposedReads++;
          read(name);
          break;
        }
      }
    }
  }

  /** Forged, corrupted (on send) and replayed messages, and client retries that arrive late. */
  private void injectBadInput() {
    if (random.nextDouble() < forgeProbability) {
      String sender = names.get(random.nextInt(names.size()));
      String target = names.get(random.nextInt(names.size()));
      if (!sender.equals(target)) {
        long slot = Math.max(0, replicas.get(target).nextToDeliver() - 2 + random.nextInt(8));
        PeerMessage forged = adversary.forgeDecide(slot, sender, names, crypto.signer(sender));
        if (random.nextBoolean()) {
          forged = new PaxosMessage.CatchUpReply(List.of((PaxosMessage.Decide) forged));
        }
        network.send(now, sender, target, forged);
      }
    }
    if (random.nextDouble() < replayProbability) {
      Adversary.Message old = adversary.replay();
      if (old != null) {
        network.send(now, old.from(), old.to(), old.message());
      }
    }
    if (random.nextDouble() < lateRetryProbability) {
      SimClient client = clients.get("client-" + (1 + random.nextInt(clients.size())));
      Command retry = client == null ? null : client.lateRetry(random);
      String target = names.get(random.nextInt(names.size()));
      if (retry != null && !crashed.contains(target) && !isolated.contains(target)) {
        step(target, new Input.Submit(retry));
      }
    }
  }

  /** Sends one message as the network would carry it: during faults, perhaps tampered with or joined by a forged vote. */
  private void send(String from, String to, PeerMessage message) {
    if (faultsOn && corruptProbability > 0 && random.nextDouble() < corruptProbability) {
      PeerMessage corrupted = adversary.corrupt(message);
      if (corrupted != null) {
        network.send(now, from, to, corrupted);
        return;
      }
      if (message instanceof PaxosMessage.Accept accept && !to.equals(accept.ballot().node())) {
        // Another member claims to have voted for this proposal, with a signature it cannot make.
        network.send(now, to, accept.ballot().node(), adversary.forgeVote(accept));
      }
    }
    network.send(now, from, to, message);
  }

  private void injectFaults() {
    injectBadInput();
    if (random.nextDouble() < partitionProbability) {
      int kind = random.nextInt(5);
      if (kind < 2) {
        isolate(names.get(random.nextInt(names.size())));
      } else if (kind < 4) {
        for (String from : names) {
          for (String to : names) {
            if (!from.equals(to) && random.nextDouble() < 0.3) {
              network.block(from, to); // one direction only: asymmetric
            }
          }
        }
        partitions++;
        trace("partition " + network.describeBlocked());
      } else {
        heal();
      }
    }
    if (random.nextDouble() < crashProbability && crashed.size() < names.size()) {
      String victim = names.get(random.nextInt(names.size()));
      if (!crashed.contains(victim)) {
        crash(victim);
      }
    }
    for (String name : new ArrayList<>(crashed)) {
      if (random.nextDouble() < restartProbability) {
        restart(name);
      }
    }
    if (random.nextDouble() < suspectProbability) {
      String node = names.get(random.nextInt(names.size()));
      String peer = names.get(random.nextInt(names.size()));
      if (!crashed.contains(node) && !node.equals(peer)) {
        step(node, new Input.Suspect(peer));
      }
    }
  }

  /** Steps one replica, then does what its output asks, as a driver would, and checks. */
  public void step(String name, Input input) {
    PaxosReplica replica = replicas.get(name);
    trace(name, input);
    Output output;
    try {
      output = replica.step(input);
    } catch (IllegalStateException e) {
      fail("invariant: " + name + " threw " + e.getMessage());
      return;
    }
    if (faultsOn && crashInStepProbability > 0 && random.nextDouble() < crashInStepProbability) {
      trace(name + " crashed before persisting its output");
      markCrashed(name);
      return;
    }
    PaxosStorageState stored = storage.get(name);
    for (Durable record : output.persist()) {
      stored.apply((PaxosDurable) record);
    }
    checker.promised(name, replica.promised()).ifPresent(this::fail);
    if (!stored.promised().equals(replica.promised())) {
      fail("durability: " + name + " holds promise " + replica.promised() + " but asked to persist " + stored.promised());
    }
    checkMemory(name, replica);
    for (Envelope envelope : output.messages()) {
      if (envelope.message() instanceof CatchUpFromAudit request) {
        auditCatchUps++;
        PaxosMessage.CatchUpReply reply = AuditLogStandIn.serve(stored, request);
        if (reply != null) {
          send(name, envelope.to(), reply);
        }
      } else {
        send(name, envelope.to(), envelope.message());
      }
    }
    for (Decision decision : output.decisions()) {
      checker.decided(name, decision).ifPresent(this::fail);
      duplicatesSkipped += decision.commands().size() - decision.toApply().size();
    }
    if (replica.isLeader() && !Boolean.TRUE.equals(leading.put(name, true))) {
      leaderChanges++;
    } else if (!replica.isLeader()) {
      leading.put(name, false);
    }
    for (ReadReply read : output.reads()) {
      readNodes.remove(read.id());
      Set<String> mustSee = readsInFlight.remove(read.id());
      if (mustSee == null) {
        fail("reads: " + name + " answered read " + read.id() + ", which it was never asked or answered before");
        return;
      }
      if (read instanceof ReadReply.Ready) {
        checker.readReady(name, read.id(), mustSee).ifPresent(this::fail);
        readsServed++;
      }
    }
    for (ClientReply reply : output.replies()) {
      if (reply instanceof ClientReply.Committed) {
        checker.acknowledged(reply.command());
      }
      SimClient client = clients.get(reply.command().client());
      if (client != null) {
        client.onReply(now, reply, names);
      }
    }
  }

  // ---- faults, for random runs and scripted scenarios ----

  /**
   * Cuts {@code name} off from the other nodes and from the clients; a reader on its side of the
   * cut still reaches it, which is how a deposed leader comes to be asked for a read.
   */
  public void isolate(String name) {
    isolated.add(name);
    partitions++;
    network.isolate(name, names);
    trace("isolate " + name);
  }

  public void block(String from, String to) {
    network.block(from, to);
    trace("block " + from + "->" + to);
  }

  public void heal() {
    isolated.clear();
    network.healLinks(now);
    trace("heal links");
  }

  /** A crash between steps: everything the replica holds must be what it asked to persist. */
  public void crash(String name) {
    trace("crash " + name);
    PaxosStorageState stored = storage.get(name);
    for (AcceptedEntry entry : replicas.get(name).accepted()) {
      if (!entry.equals(stored.accepted().get(entry.slot()))) {
        fail("durability: " + name + " accepted " + entry + " but did not ask to persist it");
      }
    }
    markCrashed(name);
  }

  /**
   * Everything a replica holds is bounded by its window: the acceptor keeps values from a window
   * below the next slot to deliver to a window above it; the log keeps a window of delivered slots
   * and what is decided ahead (up to a window beyond what its acceptors hold, plus the pipeline);
   * a leader has in flight what it re-proposes after phase 1 and its pipeline.
   */
  private void checkMemory(String name, PaxosReplica replica) {
    PaxosConfig config = configs.get(name);
    int window = config.retainedSlots();
    int pipeline = config.pipelineSlotsMax();
    if (replica.acceptedSlotsHeld() > 2 * window) {
      fail("memory: " + name + " holds " + replica.acceptedSlotsHeld() + " accepted slots, above 2 windows of " + window);
    } else if (replica.decidedSlotsHeld() > 3 * window + pipeline) {
      fail("memory: " + name + " holds " + replica.decidedSlotsHeld() + " decided slots, above 3 windows of " + window
          + " and a pipeline of " + pipeline);
    } else if (replica.slotsInFlight() > 2 * window + pipeline) {
      fail("memory: " + name + " has " + replica.slotsInFlight() + " slots in flight, above 2 windows of " + window
          + " and a pipeline of " + pipeline);
    } else if (replica.waitingClients() > config.pendingCommandsMax() + pipeline * config.batchCommandsMax()) {
      fail("memory: " + name + " has " + replica.waitingClients() + " clients waiting, above its queue and pipeline");
    }
  }

  private void markCrashed(String name) {
    readNodes.entrySet().removeIf(read -> {
      if (read.getValue().equals(name)) {
        readsInFlight.remove(read.getKey());
        return true;
      }
      return false;
    });
    crashes++;
    leading.put(name, false);
    crashed.add(name);
  }

  /** Rebuilds the replica from its storage alone, as a restarted process would. */
  public void restart(String name) {
    PaxosStorageState stored = storage.get(name).copy();
    if (options.storageForgetsPromise()) {
      ForgetfulStorage.forgetPromise(stored);
      storage.put(name, stored.copy());
    }
    crashed.remove(name);
    PaxosReplica replica = create(name, stored);
    replicas.put(name, replica);
    trace("restart " + name + " as " + replica);
    if (replica.nextToDeliver() != checker.nextSlot(name)) {
      fail("restart: " + name + " resumes delivery at " + replica.nextToDeliver() + " but delivered up to "
          + checker.nextSlot(name));
    }
    checker.promised(name, replica.promised()).ifPresent(this::fail);
  }

  private PaxosReplica create(String name, PaxosStorageState stored) {
    Signer signer = crypto.signer(name);
    return options.factory().create(configs.get(name), signer, verifier, stored);
  }

  // ---- observation ----

  public PaxosReplica replica(String name) {
    return replicas.get(name);
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  /** The live replica that leads with the highest ballot, if any. */
  public Optional<String> leader() {
    String best = null;
    for (String name : names) {
      PaxosReplica replica = replicas.get(name);
      if (!crashed.contains(name) && replica.isLeader()
          && (best == null || replica.ballot().isAbove(replicas.get(best).ballot()))) {
        best = name;
      }
    }
    return Optional.ofNullable(best);
  }

  public long now() {
    return now;
  }

  public int clientsCommitted() {
    int total = 0;
    for (SimClient client : clients.values()) {
      total += client.committed;
    }
    return total;
  }

  public long slotsDecided() {
    return checker.slotsDecided();
  }

  /** Faults on or off for scripted runs (crash-in-step and random faults only when on). */
  public void faults(boolean on) {
    faultsOn = on;
  }

  /** Tracing costs string building on every step; benchmarks switch it off. */
  public void tracing(boolean on) {
    tracing = on;
  }

  // ---- failure reporting ----

  private void trace(String name, Input input) {
    record(new TraceEvent(now, name, input));
  }

  private void trace(String event) {
    record(new TraceEvent(now, null, event));
  }

  private void record(TraceEvent event) {
    if (!tracing) {
      return;
    }
    if (trace.size() == TRACE_EVENTS_MAX) {
      trace.poll();
    }
    trace.add(event);
  }

  private void fail(String violation) {
    StringBuilder details = new StringBuilder();
    details.append("seed ").append(seed).append(", tick ").append(now).append(", ").append(names.size())
        .append(" replicas\n");
    details.append("replay: ").append(String.format(options.replayCommand(), seed)).append('\n');
    details.append("replicas:\n");
    for (String name : names) {
      details.append("  ").append(replicas.get(name)).append(crashed.contains(name) ? " (crashed)" : "").append('\n');
    }
    details.append("clients:\n");
    for (SimClient client : clients.values()) {
      details.append("  ").append(client).append('\n');
    }
    details.append("links cut: ").append(network.describeBlocked()).append(", in flight: ").append(network.inFlight())
        .append('\n');
    details.append("last events:\n");
    for (TraceEvent event : trace) {
      details.append("  ").append(event).append('\n');
    }
    throw new SimulationFailure("seed " + seed + ": " + violation, details.toString());
  }
}
