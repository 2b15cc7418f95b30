package dev.chil.node.core.paxos.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.ReadReply;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.core.paxos.PaxosDurable;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A cluster a test drives by hand: which node ticks, which message arrives, which is held or
 * lost, who crashes when. Messages wait in one list in send order until the script delivers or
 * drops them. The same {@link Checker} as the random simulation checks every step, and a
 * violation throws {@link SimulationFailure}.
 */
final class ScriptedCluster {
  record Sent(String from, String to, PeerMessage message) {}

  private final List<String> names = new ArrayList<>();
  private final HmacCrypto crypto;
  private final TreeMap<String, PaxosConfig> configs = new TreeMap<>();
  private final TreeMap<String, PaxosReplica> replicas = new TreeMap<>();
  private final TreeMap<String, PaxosStorageState> storage = new TreeMap<>();
  private final TreeSet<String> crashed = new TreeSet<>();
  private final TreeSet<String> isolated = new TreeSet<>();
  private final List<Sent> inFlight = new ArrayList<>();
  private final List<ClientReply> replies = new ArrayList<>();
  private final List<Read> reads = new ArrayList<>();

  /** A read answer, with how many slots the answering replica had applied when it answered. */
  record Read(String node, ReadReply reply, long appliedSlots) {}
  private final Checker checker;
  private final boolean storageForgetsPromise;
  private int requests;

  ScriptedCluster(int nodes, boolean storageForgetsPromise, UnaryOperator<PaxosConfig> tune) {
    this.storageForgetsPromise = storageForgetsPromise;
    for (int i = 1; i <= nodes; i++) {
      names.add("n" + i);
    }
    Roster roster = Roster.equal(Simulation.CLUSTER, names);
    crypto = new HmacCrypto(Simulation.CLUSTER, names, 7);
    // Outcome checks only when storage is broken on purpose: the point is to see the disagreement.
    checker = new Checker(roster, crypto.verifier(), true, !storageForgetsPromise);
    for (int i = 0; i < nodes; i++) {
      String name = names.get(i);
      configs.put(name, tune.apply(PaxosConfig.defaults(name, roster, 100 + i).withTiming(10, 10, 3, 6)));
      storage.put(name, new PaxosStorageState());
      replicas.put(name, new PaxosReplica(configs.get(name), crypto.signer(name), crypto.verifier()));
    }
  }

  PaxosReplica replica(String name) {
    return replicas.get(name);
  }

  /** A new command of client "scripted" with a fresh request id. */
  Command command(String value) {
    requests++;
    Command command = new Command("key", ByteString.copyFrom(value, StandardCharsets.UTF_8), "scripted", "req-" + requests);
    checker.submitted(command);
    return command;
  }

  void submit(String node, Command command) {
    step(node, new Input.Submit(command));
  }

  /** Ticks {@code node} until it stands for election (the candidate's Prepares are then in flight). */
  void tickUntilCandidate(String node) {
    for (int i = 0; i < 1_000; i++) {
      PaxosReplica replica = replicas.get(node);
      if (replica.isCandidate()) {
        return;
      }
      step(node, new Input.Tick());
    }
    throw new AssertionError(node + " never stood for election");
  }

  void tick(String node, int count) {
    for (int i = 0; i < count; i++) {
      step(node, new Input.Tick());
    }
  }

  /** Ticks every live node once per round and delivers everything, {@code rounds} times. */
  void run(int rounds) {
    for (int i = 0; i < rounds; i++) {
      deliverAll();
      for (String name : names) {
        if (!crashed.contains(name)) {
          step(name, new Input.Tick());
        }
      }
    }
    deliverAll();
  }

  /** Delivers everything in flight, including what those deliveries send, until quiet. */
  void deliverAll() {
    for (int i = 0; i < 10_000 && !inFlight.isEmpty(); i++) {
      Sent next = inFlight.remove(0);
      arrive(next);
    }
    if (!inFlight.isEmpty()) {
      throw new AssertionError("messages never stop: " + inFlight.size() + " in flight");
    }
  }

  /** Delivers the in-flight messages from→to of this type (simple class name), in send order. */
  int deliver(String from, String to, String type) {
    List<Sent> matching = take(from, to, type);
    for (Sent sent : matching) {
      arrive(sent);
    }
    return matching.size();
  }

  /** Loses the in-flight messages from→to of this type (null matches any). */
  int drop(String from, String to, String type) {
    return take(from, to, type).size();
  }

  boolean hasInFlight(String from, String type) {
    for (Sent sent : inFlight) {
      if (sent.from.equals(from) && sent.message.getClass().getSimpleName().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private List<Sent> take(String from, String to, String type) {
    List<Sent> matching = new ArrayList<>();
    for (Iterator<Sent> iterator = inFlight.iterator(); iterator.hasNext(); ) {
      Sent sent = iterator.next();
      if ((from == null || sent.from.equals(from)) && (to == null || sent.to.equals(to))
          && (type == null || sent.message.getClass().getSimpleName().equals(type))) {
        matching.add(sent);
        iterator.remove();
      }
    }
    return matching;
  }

  private void arrive(Sent sent) {
    if (!crashed.contains(sent.to) && !isolated.contains(sent.to) && !isolated.contains(sent.from)) {
      step(sent.to, new Input.Receive(sent.from, sent.message));
    }
  }

  /** Messages already sent stay in flight; those that arrive while it is down are lost. */
  void crash(String node) {
    crashed.add(node);
  }

  /** Cuts every link to and from {@code node}; messages on them are lost when they arrive. */
  void isolate(String node) {
    isolated.add(node);
  }

  void reconnect(String node) {
    isolated.remove(node);
  }

  void restart(String node) {
    PaxosStorageState stored = storage.get(node).copy();
    if (storageForgetsPromise) {
      ForgetfulStorage.forgetPromise(stored);
      storage.put(node, stored.copy());
    }
    crashed.remove(node);
    replicas.put(node, new PaxosReplica(configs.get(node), crypto.signer(node), crypto.verifier(), stored));
    checker.promised(node, replicas.get(node).promised()).ifPresent(this::fail);
  }

  void step(String node, Input input) {
    PaxosReplica replica = replicas.get(node);
    Output output;
    try {
      output = replica.step(input);
    } catch (IllegalStateException e) {
      fail("invariant: " + node + " threw " + e.getMessage());
      return;
    }
    for (Durable record : output.persist()) {
      storage.get(node).apply((PaxosDurable) record);
    }
    checker.promised(node, replica.promised()).ifPresent(this::fail);
    for (Envelope envelope : output.messages()) {
      if (envelope.message() instanceof CatchUpFromAudit request) {
        PaxosMessage.CatchUpReply reply = AuditLogStandIn.serve(storage.get(node), request);
        if (reply != null) {
          inFlight.add(new Sent(node, envelope.to(), reply));
        }
      } else {
        inFlight.add(new Sent(node, envelope.to(), envelope.message()));
      }
    }
    for (Decision decision : output.decisions()) {
      checker.decided(node, decision).ifPresent(this::fail);
    }
    replies.addAll(output.replies());
    for (ReadReply read : output.reads()) {
      reads.add(new Read(node, read, replica.nextToDeliver()));
    }
  }

  /** A reachable live node that believes it leads (an isolated old leader may still believe so). */
  Optional<String> leader() {
    for (String name : names) {
      if (!crashed.contains(name) && !isolated.contains(name) && replicas.get(name).isLeader()) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  List<ClientReply> replies() {
    return replies;
  }

  List<Read> reads() {
    return reads;
  }

  boolean appliedEverywhere(Command command) {
    return checker.appliedEverywhere(command);
  }

  long nextSlot(String node) {
    return checker.nextSlot(node);
  }

  private void fail(String violation) {
    throw new SimulationFailure(violation, "scripted cluster; in flight: " + inFlight.size() + "; replicas: " + replicas.values());
  }
}
