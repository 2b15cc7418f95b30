package dev.chil.node.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.CertifiedSlot;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.Entry;
import dev.chil.node.assembly.NodeStartException;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.AcceptedEntry;
import dev.chil.node.core.paxos.Ballot;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.runtime.NodeUnavailableException;
import dev.chil.node.runtime.ProposalResult;
import dev.chil.node.runtime.TurnObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole node under deterministic test: several nodes, each the real {@code Driver},
 * {@code Recovery}, {@code PaxosStateStore} (SQLite in a directory of its own), audit log and state
 * machine, with a simulated clock and an in-memory network, all driven from one thread by one seed.
 *
 * <p>Seed, then a fault phase (delays, drops, duplicates, and crashes at every point of a driver
 * turn: after stepping and before persisting, after persisting and before sending, after sending
 * and before auditing, after auditing and before applying, after applying and before answering,
 * and between turns), then a liveness phase (network healed, every node up) that must answer
 * every client and bring every audit head level. Checked throughout:
 *
 * <ul>
 *   <li>nothing sent promises more than what is durable: every Promise, Accepted, Nack, Prepare,
 *       Accept and Heartbeat is compared, as it leaves, with the sender's state.db read through
 *       a connection of its own;
 *   <li>nothing acknowledged is lost: after every restart the node's audit log still holds every
 *       answer it gave, at the index it gave; at the end every node's does;
 *   <li>nothing is applied twice in a node's life, and what a node applied is exactly the first
 *       occurrence of each request in its audit log, in order;
 *   <li>the audit chains agree entry by entry; state.db keeps at most two windows of accepted rows.
 * </ul>
 *
 * A failure names the violation and the seed; {@code -Dharness.seed=N} replays one.
 */
public final class NodeHarness {
  /** What a run saw, for the test's summary line. */
  public record Result(long seed, long ticks, long slotsDecided, int acknowledged, long duplicatesDecided,
      Map<TurnObserver.Point, Integer> crashesAt, int crashesBetweenTurns, long messagesSent,
      long acceptedRowsMax) {}

  private record Ack(Command command, String node, ProposalResult result) {}

  private record Attempt(Command command, SimNode node, int incarnation, CompletableFuture<ProposalResult> future,
      long sentTick) {}

  private static final int ATTEMPT_TIMEOUT_TICKS = 40;
  private static final int CHAIN_CHECK_INTERVAL_TICKS = 25;

  private final long seed;
  private final HarnessOptions options;
  private final Path directory;
  private final SplittableRandom random;
  private final SimClock clock = new SimClock(SimNode.TICK.toMillis());
  private final SimNetwork network;
  private final TreeMap<String, SimNode> nodes = new TreeMap<>();
  private final TreeMap<String, Long> downUntilTick = new TreeMap<>();
  private final List<Client> clients = new ArrayList<>();
  private final List<Attempt> attempts = new ArrayList<>();
  private final TreeMap<String, Ack> acks = new TreeMap<>();
  private final TreeMap<Long, ByteString> chain = new TreeMap<>();
  private final TreeMap<String, Long> chainCheckedUpTo = new TreeMap<>();
  private final Map<TurnObserver.Point, Integer> crashesAt = new EnumMap<>(TurnObserver.Point.class);
  private int crashesBetweenTurns;
  private long acceptedRowsMax;
  private boolean faultPhase = true;

  /** A client with one command at a time, retried (same request id) until some node answers it. */
  private final class Client {
    final String name;
    int issued;
    Command current;
    String target;
    long retryAtTick;
    Attempt latest;

    Client(String name) {
      this.name = name;
    }
  }

  public NodeHarness(long seed, HarnessOptions options, Path directory) {
    this.seed = seed;
    this.options = options;
    this.directory = directory;
    this.random = new SplittableRandom(seed);
    this.network = new SimNetwork(random.split(), options.delayTicksMax(), options.dropRate(), options.duplicateRate());
  }

  public Result run() {
    try {
      build();
      for (long tick = 0; tick < options.faultTicks(); tick++) {
        step();
      }
      faultPhase = false;
      network.heal();
      for (long tick = 0; !settled(); tick++) {
        if (tick >= options.livenessTicksMax()) {
          throw new HarnessFailure("liveness: not settled " + options.livenessTicksMax() + " ticks after healing: "
              + describe());
        }
        step();
      }
      finalChecks();
      return result();
    } catch (HarnessFailure failure) {
      throw new HarnessFailure(failure.violation() + " (seed " + seed + ")",
          "replay: -Dharness.seed=" + seed + "\n" + describe(), failure);
    } catch (NodeStartException | AuditStoreException | RuntimeException e) {
      throw new HarnessFailure("a node failed: " + e + " (seed " + seed + ")",
          "replay: -Dharness.seed=" + seed + "\n" + describe(), e);
    } finally {
      nodes.values().forEach(SimNode::close);
    }
  }

  private void build() throws NodeStartException, AuditStoreException {
    TestPki pki = TestPki.of(options.nodes());
    Roster roster = Roster.equal(TestPki.CLUSTER, pki.names);
    for (String name : pki.names) {
      Path home = directory.resolve(name);
      try {
        Files.createDirectories(home);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      PaxosConfig config = PaxosConfig.defaults(name, roster, seed)
          .withMemory(options.retainedSlots(), Math.min(256, options.retainedSlots()), 10_000);
      List<String> peers = pki.names.stream().filter(peer -> !peer.equals(name)).toList();
      SimNode node = new SimNode(name, home, config, pki.signers.get(name), pki.verifier, pki.genesis, clock,
          (to, message) -> send(name, to, message), options.variant(), peers);
      nodes.put(name, node);
      node.start(seed);
    }
    for (int i = 1; i <= options.clients(); i++) {
      clients.add(new Client("spiffe://" + TestPki.CLUSTER + "/client/c" + i));
    }
  }

  // ---- one tick ----

  private void step() throws NodeStartException, AuditStoreException {
    clock.advance();
    long now = clock.ticks();
    restartDue(now);
    if (faultPhase) {
      maybeArmCrash();
    }
    for (SimNetwork.InFlight message : network.due(now)) {
      SimNode to = nodes.get(message.to());
      if (to.isUp()) {
        to.driver().offer(message.from(), message.message());
      }
    }
    collectAnswers(now);
    for (Client client : clients) {
      act(client, now);
    }
    for (SimNode node : nodes.values()) {
      if (node.isUp()) {
        try {
          node.turn();
        } catch (Crash crash) {
          countCrash(crash.point());
          down(node, now);
        }
      }
    }
    for (SimNode node : nodes.values()) {
      long rows = node.durable().acceptedRows();
      acceptedRowsMax = Math.max(acceptedRowsMax, rows);
      if (rows > 2L * options.retainedSlots()) {
        throw new HarnessFailure("bounded storage: " + node.name + "'s state.db holds " + rows
            + " accepted rows, above two windows of " + options.retainedSlots());
      }
    }
    if (now % CHAIN_CHECK_INTERVAL_TICKS == 0) {
      checkChains();
    }
  }

  private void maybeArmCrash() {
    boolean anyDownOrArmed = nodes.values().stream().anyMatch(node -> !node.isUp() || node.crashArmed());
    if (anyDownOrArmed || random.nextDouble() >= options.crashesPerTick()) {
      return;
    }
    List<SimNode> up = new ArrayList<>(nodes.values());
    SimNode victim = up.get(random.nextInt(up.size()));
    List<TurnObserver.Point> points = new ArrayList<>(options.crashPoints());
    int choices = points.size() + (options.crashBetweenTurns() ? 1 : 0);
    if (choices == 0) {
      return;
    }
    int choice = random.nextInt(choices);
    if (choice == points.size()) {
      crashesBetweenTurns++;
      down(victim, clock.ticks());
    } else {
      victim.crashAt(points.get(choice));
    }
  }

  private void down(SimNode node, long now) {
    node.crash();
    downUntilTick.put(node.name, now + 1 + random.nextInt(options.downTicksMax()));
  }

  private void restartDue(long now) throws NodeStartException, AuditStoreException {
    for (SimNode node : nodes.values()) {
      Long until = downUntilTick.get(node.name);
      if (!node.isUp() && until != null && (until <= now || !faultPhase)) {
        downUntilTick.remove(node.name);
        node.start(seed);
        checkAcknowledged(node, true);
      }
    }
  }

  /** The observer arms crashes; the harness counts them by the point they struck. */
  private void countCrash(TurnObserver.Point point) {
    crashesAt.merge(point, 1, Integer::sum);
  }

  // ---- the network, and the first check ----

  private void send(String from, List<String> to, PeerMessage message) {
    if (message instanceof CatchUpFromAudit request) {
      // What the assembly's AuditCatchUpServer does: the slots from the sender's audit log.
      message = fromAudit(nodes.get(from), request);
      if (message == null) {
        return;
      }
    }
    checkDurableBeforeSent(nodes.get(from), (PaxosMessage) message);
    network.send(clock.ticks(), from, to, message);
  }

  private static PaxosMessage.CatchUpReply fromAudit(SimNode sender, CatchUpFromAudit request) {
    List<PaxosMessage.Decide> decisions = new ArrayList<>();
    try {
      for (CertifiedSlot slot : sender.audit().slots(request.fromSlot(), request.slotsMax())) {
        decisions.add(new PaxosMessage.Decide(slot.slot(), slot.commands(), slot.certificate()));
      }
    } catch (AuditStoreException e) {
      throw new IllegalStateException(sender.name + " cannot read its audit log: " + e.getMessage(), e);
    }
    return decisions.isEmpty() ? null : new PaxosMessage.CatchUpReply(decisions);
  }

  /** Nothing sent promises more than what the sender's state.db holds at this instant. */
  private void checkDurableBeforeSent(SimNode sender, PaxosMessage message) {
    DurableState durable = sender.durable();
    if (durable == null) {
      return; // cannot happen after the first start; the first start sends nothing
    }
    Ballot promised = durable.promised();
    Ballot needs = null;
    if (message instanceof PaxosMessage.Promise promise) {
      needs = promise.ballot();
      for (AcceptedEntry entry : promise.accepted()) {
        requireAccepted(sender, durable, entry.slot(), entry.ballot(), null, message);
      }
    } else if (message instanceof PaxosMessage.Accepted accepted) {
      needs = accepted.ballot();
      requireAccepted(sender, durable, accepted.slot(), accepted.ballot(), accepted.digest(), message);
    } else if (message instanceof PaxosMessage.Nack nack) {
      needs = nack.promised();
    } else if (message instanceof PaxosMessage.Prepare prepare) {
      needs = prepare.ballot();
    } else if (message instanceof PaxosMessage.Accept accept) {
      needs = accept.ballot();
    } else if (message instanceof PaxosMessage.Heartbeat heartbeat) {
      needs = heartbeat.ballot();
    }
    if (needs != null && promised.isBelow(needs)) {
      throw new HarnessFailure("durable before sent: " + sender.name + " sent " + describe(message)
          + " while its state.db promised only " + promised);
    }
  }

  private static void requireAccepted(SimNode sender, DurableState durable, long slot, Ballot ballot,
      ByteString digest, PaxosMessage message) {
    Optional<AcceptedEntry> stored = durable.accepted(slot);
    if (stored.isEmpty()) {
      if (durable.deliveredNext() > slot) {
        return; // delivered, and pruned from the accepted table in the same transaction
      }
      throw new HarnessFailure("durable before sent: " + sender.name + " sent " + describe(message)
          + " while its state.db holds no accepted value for slot " + slot);
    }
    AcceptedEntry entry = stored.get();
    boolean same = entry.ballot().equals(ballot)
        && (digest == null || dev.chil.audit.chain.SlotDigest.of(entry.commands()).equals(digest));
    if (!entry.ballot().isAbove(ballot) && !same) {
      throw new HarnessFailure("durable before sent: " + sender.name + " sent " + describe(message)
          + " while its state.db holds slot " + slot + " accepted in " + entry.ballot());
    }
  }

  private static String describe(PaxosMessage message) {
    String text = message.toString();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  // ---- clients, and the second check ----

  private void act(Client client, long now) {
    if (client.current == null) {
      if (!faultPhase) {
        return;
      }
      client.issued++;
      client.current = new Command("key-" + random.nextInt(16), ByteString.copyFromUtf8("value-" + client.issued),
          client.name, "r" + client.issued);
      client.latest = null;
    }
    boolean waiting = client.latest != null && !client.latest.future().isDone()
        && now - client.latest.sentTick() < ATTEMPT_TIMEOUT_TICKS && client.latest.node().isUp()
        && client.latest.node().incarnation() == client.latest.incarnation();
    if (waiting || now < client.retryAtTick) {
      return;
    }
    SimNode target = client.target == null ? null : nodes.get(client.target);
    if (target == null || !target.isUp()) {
      List<SimNode> up = nodes.values().stream().filter(SimNode::isUp).toList();
      if (up.isEmpty()) {
        return;
      }
      target = up.get(random.nextInt(up.size()));
    }
    Attempt attempt = new Attempt(client.current, target, target.incarnation(),
        target.driver().propose(client.current), now);
    attempts.add(attempt);
    client.latest = attempt;
  }

  private void collectAnswers(long now) {
    for (Iterator<Attempt> it = attempts.iterator(); it.hasNext(); ) {
      Attempt attempt = it.next();
      if (!attempt.future().isDone()) {
        if (attempt.node().incarnation() != attempt.incarnation() || !attempt.node().isUp()) {
          it.remove(); // its node died: nobody will answer it
        }
        continue;
      }
      it.remove();
      Client client = clients.stream().filter(c -> c.name.equals(attempt.command().client())).findFirst().orElseThrow();
      try {
        ProposalResult result = attempt.future().join();
        acknowledge(new Ack(attempt.command(), attempt.node().name, result));
        if (attempt.command().equals(client.current)) {
          client.current = null;
          client.latest = null;
        }
      } catch (CompletionException e) {
        if (client.latest == attempt) {
          client.latest = null;
          client.target = e.getCause() instanceof NodeUnavailableException unavailable ? unavailable.leaderHint() : null;
          client.retryAtTick = now + 1 + random.nextInt(3);
        }
      }
    }
  }

  private void acknowledge(Ack ack) {
    String key = ack.command().client() + "/" + ack.command().requestId();
    Ack earlier = acks.get(key);
    if (earlier != null && (earlier.result().slot() != ack.result().slot()
        || earlier.result().auditIndex() != ack.result().auditIndex())) {
      throw new HarnessFailure("one answer: " + key + " was answered with slot " + earlier.result().slot() + " index "
          + earlier.result().auditIndex() + " by " + earlier.node() + " and slot " + ack.result().slot() + " index "
          + ack.result().auditIndex() + " by " + ack.node());
    }
    if (earlier == null) {
      acks.put(key, ack);
    }
  }

  /**
   * Every acknowledged command is in this node's audit log at the index it was answered with;
   * {@code own}: and every answer this node gave is within its log (it lost none by restarting).
   */
  private void checkAcknowledged(SimNode node, boolean own) throws AuditStoreException {
    long head = node.audit().head().index();
    for (Ack ack : acks.values()) {
      long index = ack.result().auditIndex();
      if (index > head) {
        if (own && ack.node().equals(node.name)) {
          throw new HarnessFailure("acknowledged lost: " + node.name + " answered " + ack.command().requestId()
              + " of " + ack.command().client() + " at audit index " + index + " but after a restart its log ends at "
              + head);
        }
        continue;
      }
      Entry entry = node.audit().read(index, index).get(0);
      if (!entry.command().equals(ack.command()) || entry.slot() != ack.result().slot()) {
        throw new HarnessFailure("acknowledged lost: " + node.name + "'s audit index " + index + " holds "
            + entry.command().requestId() + " in slot " + entry.slot() + ", but " + ack.node() + " answered "
            + ack.command().requestId() + " of " + ack.command().client() + " there in slot " + ack.result().slot());
      }
    }
  }

  // ---- the third check, and the end ----

  /** Every node's audit chain agrees with every other's, entry by entry. */
  private void checkChains() throws AuditStoreException {
    for (SimNode node : nodes.values()) {
      if (!node.isUp()) {
        continue;
      }
      long from = chainCheckedUpTo.getOrDefault(node.name, 0L) + 1;
      long head = node.audit().head().index();
      for (long start = from; start <= head; start += 1_000) {
        for (Entry entry : node.audit().read(start, Math.min(head, start + 999))) {
          ByteString known = chain.putIfAbsent(entry.index(), entry.hash());
          if (known != null && !known.equals(entry.hash())) {
            throw new HarnessFailure("chains agree: " + node.name + "'s audit entry " + entry.index()
                + " differs from another node's");
          }
        }
      }
      chainCheckedUpTo.put(node.name, head);
    }
  }

  private boolean settled() {
    if (nodes.values().stream().anyMatch(node -> !node.isUp())
        || clients.stream().anyMatch(client -> client.current != null)) {
      return false;
    }
    Set<Object> heads = new HashSet<>();
    for (SimNode node : nodes.values()) {
      heads.add(node.audit().head());
    }
    return heads.size() == 1;
  }

  private void finalChecks() throws AuditStoreException {
    checkChains();
    for (SimNode node : nodes.values()) {
      checkAcknowledged(node, true);
      List<RecordingStateMachine.Applied> expected = new ArrayList<>();
      Set<List<String>> seen = new HashSet<>();
      long head = node.audit().head().index();
      for (long start = 1; start <= head; start += 1_000) {
        for (Entry entry : node.audit().read(start, Math.min(head, start + 999))) {
          if (seen.add(List.of(entry.command().client(), entry.command().requestId()))) {
            expected.add(new RecordingStateMachine.Applied(entry.slot(), entry.command().client(),
                entry.command().requestId()));
          }
        }
      }
      List<RecordingStateMachine.Applied> applied = node.stateMachine().applied();
      if (!applied.equals(expected)) {
        throw new HarnessFailure("applied once, in order: " + node.name + " applied " + applied.size()
            + " commands, its audit log has " + expected.size() + " distinct requests; first difference at "
            + firstDifference(applied, expected));
      }
    }
  }

  private static int firstDifference(List<?> a, List<?> b) {
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }

  private Result result() {
    SimNode any = nodes.firstEntry().getValue();
    long entries = any.audit().head().index();
    long distinct = any.stateMachine().applied().size();
    return new Result(seed, clock.ticks(), any.audit().nextSlot(), acks.size(), entries - distinct,
        Map.copyOf(crashesAt), crashesBetweenTurns, network.sent(), acceptedRowsMax);
  }

  private String describe() {
    StringBuilder text = new StringBuilder("t=" + clock.ticks() + (faultPhase ? " (faults)" : " (healed)"));
    for (SimNode node : nodes.values()) {
      text.append("\n  ").append(node.name).append(node.isUp()
          ? " up, incarnation " + node.incarnation() + ", audit head " + node.audit().head().index()
          : " down");
    }
    for (Client client : clients) {
      text.append("\n  ").append(client.name).append(" issued ").append(client.issued)
          .append(client.current == null ? ", idle" : ", waiting on " + client.current.requestId());
    }
    return text.toString();
  }
}
