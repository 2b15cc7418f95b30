package dev.chil.node.core.pbft.sim;

import dev.chil.crypto.Identity;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.pbft.PbftConfig;
import dev.chil.node.core.pbft.PbftDurable;
import dev.chil.node.core.pbft.PbftReplica;
import dev.chil.node.core.pbft.PbftStorageState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic simulation of a PBFT cluster, in the shape of TigerBeetle's VOPR: seed, then a
 * fault profile drawn from it (up to f Byzantine replicas and their behaviours; drops, duplicates,
 * delays, late delivery far past timeouts, one-way partitions, crashes of correct replicas with
 * and without losing the step in progress, restarts, clock skew), then a fault phase with every
 * safety invariant checked after every step, then a liveness phase (network healed, every correct
 * replica restarted, the Byzantine ones still at it) in which every client's request must execute
 * on every correct replica within a bounded number of ticks.
 *
 * <p>Everything random comes from one {@link SplittableRandom} seeded with the seed, and only
 * ordered collections are iterated, so a seed replays exactly.
 */
public final class PbftSimulation {
  public static final String CLUSTER = "sim";
  private static final int TRACE_EVENTS_MAX = Integer.getInteger("sim.trace", 60);

  /** What a completed run saw, for the test's summary. */
  public record Result(long seed, int nodes, int byzantine, String behaviours, long ticks, long sequencesExecuted,
      int commands, long messagesSent, long crashes, long partitions, long highestView, long evidence,
      long evidenceExpected, long invalidInputs, int unappliedAtHeal, long livenessTicks, long doubleVotes) {}

  private record TraceEvent(long tick, String node, Object event) {
    @Override
    public String toString() {
      String text = event.toString();
      text = text.length() > 160 ? text.substring(0, 160) + "..." : text;
      return "t" + tick + " " + (node == null ? text : node + " <- " + text);
    }
  }

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final List<String> names = new ArrayList<>();
  private final SimKeys keys;
  private final Verifier verifier;
  private final TreeMap<String, PbftConfig> configs = new TreeMap<>();
  private final TreeMap<String, PbftReplica> replicas = new TreeMap<>();
  private final TreeMap<String, Byzantine> byzantine = new TreeMap<>();
  private final TreeMap<String, PbftStorageState> storage = new TreeMap<>();
  private final TreeMap<String, PbftStorageState> forgetfulStorage = new TreeMap<>();
  private final TreeSet<String> crashed = new TreeSet<>();
  private final TreeMap<String, SimClient> clients = new TreeMap<>();
  private final SimNetwork network;
  private final Checker checker;
  private final ArrayDeque<TraceEvent> trace = new ArrayDeque<>();
  private long now;
  private long crashes;
  private long partitions;
  private long evidence;
  private int unappliedAtHeal;
  private boolean faultsOn;
  private boolean clientsMayStart = true;

  private final double partitionProbability;
  private final double crashProbability;
  private final double restartProbability;
  private final double crashInStepProbability;
  private final TreeMap<String, Double> tickSkipProbability = new TreeMap<>();

  public PbftSimulation(long seed, SimOptions options) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
    for (int i = 1; i <= options.nodes(); i++) {
      names.add("n" + i);
    }
    Roster roster = Roster.equal(CLUSTER, names);
    keys = new SimKeys(CLUSTER, seed);
    verifier = keys.verifier();
    network = new SimNetwork(random.split());
    int f = (names.size() - 1) / 3;
    int faulty = options.byzantine() ? random.nextInt(f + 1) : 0;
    TreeSet<String> correct = new TreeSet<>(names);
    while (correct.size() > names.size() - faulty) {
      correct.remove(names.get(random.nextInt(names.size())));
    }
    TreeSet<String> liars = new TreeSet<>(names);
    liars.removeAll(correct);

    network.dropProbability = random.nextDouble() * 0.1;
    network.duplicateProbability = random.nextDouble() * 0.1;
    network.delayTicksMax = 1 + random.nextInt(5);
    network.lateProbability = random.nextDouble() < 0.5 ? random.nextDouble() * 0.01 : 0;
    partitionProbability = random.nextDouble() * 0.03;
    crashProbability = random.nextDouble() * 0.015;
    restartProbability = 0.05 + random.nextDouble() * 0.2;
    crashInStepProbability = random.nextDouble() < 0.3 ? 0.002 : 0;
    for (String name : names) {
      tickSkipProbability.put(name, random.nextDouble() < 0.5 ? random.nextDouble() * 0.3 : 0.0);
    }
    int[] intervals = {2, 4, 8};
    int checkpointInterval = intervals[random.nextInt(intervals.length)];
    int window = checkpointInterval * (2 + random.nextInt(3));
    int[] batches = {1, 3, 10};
    int batchCommandsMax = batches[random.nextInt(batches.length)];
    int batchDelayTicks = random.nextInt(3) == 0 ? 1 : 0;
    checker = new Checker(names, CLUSTER, verifier, window, correct);

    for (String name : names) {
      PbftConfig config = new PbftConfig(name, roster, options.quorumRule(), 30, 20, 5, checkpointInterval, window,
          batchCommandsMax, batchDelayTicks, 1_000, 4_096, 64, 100_000, 100_000);
      configs.put(name, config);
      storage.put(name, new PbftStorageState());
      forgetfulStorage.put(name, new PbftStorageState());
      if (correct.contains(name)) {
        replicas.put(name, create(name, new PbftStorageState()));
      } else {
        EnumSet<Byzantine.Behaviour> behaviours = EnumSet.noneOf(Byzantine.Behaviour.class);
        for (Byzantine.Behaviour behaviour : Byzantine.Behaviour.values()) {
          if (random.nextDouble() < 0.4) {
            behaviours.add(behaviour);
          }
        }
        if (behaviours.isEmpty()) {
          behaviours.add(Byzantine.Behaviour.values()[random.nextInt(Byzantine.Behaviour.values().length)]);
        }
        PbftReplica inner = new PbftReplica(config, keys.signer(Identity.node(CLUSTER, name)), verifier);
        byzantine.put(name, new Byzantine(inner, keys.signer(Identity.node(CLUSTER, name)), random.split(), names,
            liars, window, behaviours));
      }
    }
    for (int i = 1; i <= options.clients(); i++) {
      Identity client = Identity.client(CLUSTER, "client-" + i);
      clients.put(client.spiffeId(), new SimClient(keys.signer(client), random.split(), options.requestsPerClient(), 40));
    }
  }

  // ---- the random run ----

  /** Fault phase, then liveness phase. Throws {@link SimulationFailure} on any violation. */
  public Result run() {
    faultsOn = true;
    for (int i = 0; i < options.faultTicks(); i++) {
      tick();
    }
    healAll();
    unappliedAtHeal = checker.unappliedCount();
    long healedTick = now;
    requireLiveness(options.livenessTicksMax());
    long highestView = 0;
    long invalid = 0;
    for (PbftReplica replica : replicas.values()) {
      highestView = Math.max(highestView, replica.view());
      invalid += replica.invalidInputs();
    }
    long doubleVotes = 0;
    for (Byzantine liar : byzantine.values()) {
      doubleVotes += liar.doubleVotes;
    }
    return new Result(seed, names.size(), byzantine.size(), byzantine.isEmpty() ? "-" : describeByzantine(), now,
        checker.sequencesExecuted(), checker.submittedCount(), network.sent, crashes, partitions, highestView, evidence,
        checker.evidenceExpected, invalid, unappliedAtHeal, now - healedTick, doubleVotes);
  }

  private void healAll() {
    faultsOn = false;
    clientsMayStart = false;
    network.healLinks();
    network.dropProbability = 0;
    network.duplicateProbability = 0;
    network.lateProbability = 0;
    for (String name : new ArrayList<>(crashed)) {
      restart(name);
    }
    trace("healed: links, drops, every correct replica restarted");
  }

  private void requireLiveness(int ticksMax) {
    for (int i = 0; i < ticksMax && !allDone(); i++) {
      tick();
    }
    if (!allDone()) {
      fail("liveness: " + ticksMax + " ticks after healing, " + (checker.firstUnapplied() != null
          ? Checker.key(checker.firstUnapplied()) + " is not executed on every correct replica"
          : "a client is not answered"));
    }
  }

  private boolean allDone() {
    for (SimClient client : clients.values()) {
      if (client.current != null) {
        return false;
      }
    }
    return checker.firstUnapplied() == null;
  }

  // ---- one tick ----

  private void tick() {
    now++;
    if (faultsOn) {
      injectFaults();
    }
    for (SimClient client : clients.values()) {
      ClientRequest fresh = client.startNew(now, clientsMayStart);
      if (fresh != null) {
        checker.submitted(fresh.command());
        String target = names.get(client.pick(names.size()));
        if (!crashed.contains(target)) {
          step(target, new Input.SubmitRequest(fresh));
        }
      }
      ClientRequest retry = client.retryDue(now);
      if (retry != null) {
        for (String name : names) {
          if (!crashed.contains(name)) {
            step(name, new Input.SubmitRequest(retry));
          }
        }
      }
    }
    SimNetwork.InFlight message;
    while ((message = network.poll(now)) != null) {
      if (!crashed.contains(message.to())) {
        step(message.to(), new Input.Receive(message.from(), message.message()));
      }
    }
    for (String name : names) {
      if (!crashed.contains(name) && !(faultsOn && random.nextDouble() < tickSkipProbability.get(name))) {
        step(name, new Input.Tick());
      }
    }
  }

  private void injectFaults() {
    if (random.nextDouble() < partitionProbability) {
      if (random.nextInt(3) == 0) {
        network.healLinks();
        trace("heal links");
      } else {
        for (String from : names) {
          for (String to : names) {
            if (!from.equals(to) && random.nextDouble() < 0.3) {
              network.block(from, to); // one direction only: asymmetric
            }
          }
        }
        partitions++;
        trace("partition " + network.describeBlocked());
      }
    }
    if (random.nextDouble() < crashProbability) {
      String victim = names.get(random.nextInt(names.size()));
      if (replicas.containsKey(victim) && !crashed.contains(victim)) {
        trace("crash " + victim);
        markCrashed(victim);
      }
    }
    for (String name : new ArrayList<>(crashed)) {
      if (random.nextDouble() < restartProbability) {
        restart(name);
      }
    }
  }

  /** Steps one replica, then does what its output asks, as a driver would, and checks. */
  private void step(String name, Input input) {
    trace(name, input);
    Byzantine liar = byzantine.get(name);
    if (liar != null) {
      for (Envelope envelope : liar.step(input)) {
        network.send(now, name, envelope.to(), envelope.message());
      }
      return;
    }
    PbftReplica replica = replicas.get(name);
    long lowBefore = replica.lowWatermark();
    String equivocation = input instanceof Input.Receive receive
        ? checker.delivered(name, replica.view(), lowBefore, receive.from(), receive.message()) : null;
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
    for (Durable record : output.persist()) {
      storage.get(name).apply((PbftDurable) record);
      if (!(record instanceof PbftDurable.Prepared)) {
        forgetfulStorage.get(name).apply((PbftDurable) record);
      }
    }
    evidence += output.evidence().size();
    checker.evidence(name, output.evidence(), equivocation).ifPresent(this::fail);
    for (Envelope envelope : output.messages()) {
      checker.sent(name, lowBefore, replica.lowWatermark(), envelope.message()).ifPresent(this::fail);
      network.send(now, name, envelope.to(), envelope.message());
    }
    for (Decision decision : output.decisions()) {
      checker.executed(name, decision).ifPresent(this::fail);
    }
    for (ClientReply reply : output.replies()) {
      SimClient client = clients.get(reply.command().client());
      if (client != null) {
        client.onReply(reply);
      }
    }
    checker.moved(name, replica.view(), replica.lowWatermark());
  }

  private void markCrashed(String name) {
    crashes++;
    crashed.add(name);
  }

  /** Rebuilds the replica from its storage alone, as a restarted process would. */
  private void restart(String name) {
    PbftStorageState stored;
    if (options.storageForgetsPrepared()) {
      stored = forgetfulStorage.get(name).copy();
      storage.put(name, stored.copy());
    } else {
      stored = storage.get(name).copy();
    }
    crashed.remove(name);
    PbftReplica replica = create(name, stored);
    replicas.put(name, replica);
    checker.restarted(name);
    trace("restart " + name + " as " + replica);
    if (replica.nextToExecute() != checker.nextSequence(name)) {
      fail("restart: " + name + " resumes execution at " + replica.nextToExecute() + " but executed up to "
          + checker.nextSequence(name));
    }
  }

  private PbftReplica create(String name, PbftStorageState stored) {
    return options.factory().create(configs.get(name), keys.signer(Identity.node(CLUSTER, name)), verifier, stored);
  }

  private String describeByzantine() {
    StringBuilder text = new StringBuilder();
    byzantine.forEach((name, liar) -> text.append(text.length() == 0 ? "" : " ").append(name).append(liar.behaviours));
    return text.toString();
  }

  // ---- failure reporting ----

  private void trace(String name, Input input) {
    record(new TraceEvent(now, name, input));
  }

  private void trace(String event) {
    record(new TraceEvent(now, null, event));
  }

  private void record(TraceEvent event) {
    if (trace.size() == TRACE_EVENTS_MAX) {
      trace.poll();
    }
    trace.add(event);
  }

  private void fail(String violation) {
    StringBuilder details = new StringBuilder();
    details.append("seed ").append(seed).append(", tick ").append(now).append(", ").append(names.size())
        .append(" replicas, Byzantine: ").append(byzantine.isEmpty() ? "none" : describeByzantine()).append('\n');
    details.append("replay: ").append(String.format(options.replayCommand(), seed)).append('\n');
    details.append("replicas:\n");
    for (String name : names) {
      Object replica = byzantine.containsKey(name) ? byzantine.get(name) : replicas.get(name);
      details.append("  ").append(replica).append(crashed.contains(name) ? " (crashed)" : "").append('\n');
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
