package dev.chil.node.core.paxos.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.Ballot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The safety invariants, checked after every step of every replica. It holds its own view of the
 * truth (what clients submitted, what each slot was decided as, what each replica applied), never
 * asks a replica whether it is right, and checks certificates with its own code
 * ({@link IndependentCertificates}), not the production checks it is there to test. A forged
 * command is one no client submitted: deciding it fails validity. Membership sets are only looked up, never iterated,
 * so hash order cannot leak into what the simulation does.
 */
final class Checker {
  private final IndependentCertificates certificates;
  private final boolean certificateQuorumChecked;
  private final boolean promiseMonotonicChecked;
  // (client, request id) to the command as submitted.
  private final Map<String, Command> submitted = new LinkedHashMap<>();
  private final TreeMap<Long, ByteString> decidedDigests = new TreeMap<>();
  private final TreeMap<String, Long> nextSlot = new TreeMap<>();
  private final TreeMap<String, Set<String>> applied = new TreeMap<>();
  // Commands a client was told are applied, by (client, request id).
  private final Set<String> acknowledged = new HashSet<>();
  private final TreeMap<String, Integer> appliedCount = new TreeMap<>();
  private final TreeMap<String, Ballot> promisedMax = new TreeMap<>();
  // The longest applied sequence any replica has: every replica's must be a prefix of it.
  private final List<String> longestApplied = new ArrayList<>();

  Checker(Roster roster, Verifier verifier, boolean certificateQuorumChecked, boolean promiseMonotonicChecked) {
    TreeMap<String, Integer> weights = new TreeMap<>();
    for (String node : roster.names()) {
      weights.put(node, roster.weight(node));
    }
    this.certificates = new IndependentCertificates(roster.cluster(), weights, verifier);
    this.certificateQuorumChecked = certificateQuorumChecked;
    this.promiseMonotonicChecked = promiseMonotonicChecked;
    for (String node : roster.names()) {
      nextSlot.put(node, 0L);
      applied.put(node, new HashSet<>());
      appliedCount.put(node, 0);
      promisedMax.put(node, Ballot.ZERO);
    }
  }

  /** A client was told this command is applied: every read that starts from now on must see it. */
  void acknowledged(Command command) {
    acknowledged.add(key(command));
  }

  /** What a read starting now must see. */
  Set<String> acknowledgedSoFar() {
    return Set.copyOf(acknowledged);
  }

  /** Empty when a replica that vouched for a read had applied everything acknowledged before it. */
  Optional<String> readReady(String node, long id, Set<String> mustSee) {
    Set<String> appliedHere = applied.get(node);
    for (String key : new TreeSet<>(mustSee)) {
      if (!appliedHere.contains(key)) {
        return Optional.of("linearizability: " + node + " vouched for read " + id + " without having applied "
            + key + ", acknowledged before the read began");
      }
    }
    return Optional.empty();
  }

  void submitted(Command command) {
    Command earlier = submitted.putIfAbsent(key(command), command);
    if (earlier != null && !earlier.equals(command)) {
      throw new IllegalStateException("simulator bug: two commands with one request id");
    }
  }

  /** Empty when the decision keeps every invariant; otherwise the violation. */
  Optional<String> decided(String node, Decision decision) {
    long expected = nextSlot.get(node);
    if (decision.slot() != expected) {
      return Optional.of("order: " + node + " delivered slot " + decision.slot() + ", expected " + expected);
    }
    nextSlot.put(node, expected + 1);
    ByteString digest = SlotDigest.of(decision.commands());
    ByteString earlier = decidedDigests.putIfAbsent(decision.slot(), digest);
    if (earlier != null && !earlier.equals(digest)) {
      return Optional.of("agreement: " + node + " decided slot " + decision.slot() + " as " + decision.commands()
          + ", another replica decided other commands");
    }
    for (Command command : decision.commands()) {
      if (!command.equals(submitted.get(key(command)))) {
        return Optional.of("validity: " + node + " decided in slot " + decision.slot() + " a command no client submitted: " + command);
      }
    }
    if (!decision.certificate().statement().digest().equals(digest)) {
      return Optional.of("certificate: slot " + decision.slot() + " at " + node + " certifies another digest");
    }
    if (certificateQuorumChecked) {
      Optional<String> problem = certificates.problem(decision.slot(), digest, decision.certificate());
      if (problem.isPresent()) {
        return Optional.of("certificate: at " + node + ": " + problem.get());
      }
    }
    Set<String> appliedHere = applied.get(node);
    int index = appliedCount.get(node);
    for (Command command : decision.toApply()) {
      String key = key(command);
      if (!appliedHere.add(key)) {
        return Optional.of("applied twice: " + node + " applied " + key + " again in slot " + decision.slot());
      }
      if (index < longestApplied.size()) {
        if (!longestApplied.get(index).equals(key)) {
          return Optional.of("prefix: " + node + " applied " + key + " at position " + index + " where another replica applied "
              + longestApplied.get(index));
        }
      } else {
        longestApplied.add(key);
      }
      index++;
    }
    appliedCount.put(node, index);
    return Optional.empty();
  }

  Optional<String> promised(String node, Ballot promised) {
    Ballot max = promisedMax.get(node);
    if (promised.isBelow(max)) {
      if (promiseMonotonicChecked) {
        return Optional.of("promise went down: " + node + " promised " + max + ", now " + promised);
      }
      return Optional.empty();
    }
    promisedMax.put(node, promised);
    return Optional.empty();
  }

  boolean appliedEverywhere(Command command) {
    String key = key(command);
    for (Set<String> keys : applied.values()) {
      if (!keys.contains(key)) {
        return false;
      }
    }
    return true;
  }

  /** The first submitted command some replica has not applied, or null. */
  Command firstUnapplied() {
    for (Command command : submitted.values()) {
      if (!appliedEverywhere(command)) {
        return command;
      }
    }
    return null;
  }

  /** Submitted commands not yet applied on every replica. */
  int unappliedCount() {
    int count = 0;
    for (Command command : submitted.values()) {
      if (!appliedEverywhere(command)) {
        count++;
      }
    }
    return count;
  }

  int submittedCount() {
    return submitted.size();
  }

  long slotsDecided() {
    return decidedDigests.size();
  }

  long nextSlot(String node) {
    return nextSlot.get(node);
  }

  static String key(Command command) {
    return command.client() + "/" + command.requestId();
  }
}
