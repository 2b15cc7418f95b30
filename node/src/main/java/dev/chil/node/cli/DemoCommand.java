package dev.chil.node.cli;

import dev.chil.audit.verify.AuditComparison;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.crypto.PemFiles;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.StatusResponse;
import dev.chil.proto.v1.Vote;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chil demo}: a three-node cluster on this machine, walked through decisions, a refused
 * conflict, the loss of the leader, a restart that catches up, and the audit checks. Each step
 * prints one line; the first step that does not do what it shows stops the demo with exit 1.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run a three-node cluster on loopback as separate processes and show what it does: sample",
        "verification decisions, a conflicting proposal refused, the leader killed and a new one",
        "elected, the old leader restarted and caught up, then audit verify and compare on every",
        "node's log. Prints one line per step; exits 1 naming the step that failed.",
        "The directory gets a marker file; a later demo wipes only a directory that has it.",
        "--protocol pbft runs four nodes (n = 3f+1) with signed requests; killing the primary",
        "makes the others change view, which a waiting request starts."})
final class DemoCommand implements Callable<Integer> {
  /** Three JVMs starting at once on a small machine can take a while. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROPOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL_PAUSE = Duration.ofMillis(100);

  /** What a verification service might record: the verdict on each claim is final. */
  private record Claim(String key, String verdict) {}

  private static final List<Claim> CLAIMS = List.of(
      new Claim("claim-1001", "verified: authentic"),
      new Claim("claim-1002", "verified: forged"),
      new Claim("claim-1003", "verified: authentic"),
      new Claim("claim-1004", "verified: forged"));
  private static final Claim CONFLICT = new Claim("claim-1002", "verified: authentic");
  private static final List<Claim> CLAIMS_AFTER_FAILOVER = List.of(
      new Claim("claim-1005", "verified: authentic"),
      new Claim("claim-1006", "verified: forged"));

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the PKI, configs, data and logs go (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of("demo-cluster");

  @Option(names = "--keep", description = "Leave the cluster running at the end and print how to talk to it.")
  boolean keep;

  @Option(names = "--protocol", paramLabel = "PROTOCOL",
      description = "paxos (three nodes) or pbft (four nodes) (default: ${DEFAULT-VALUE}).")
  String protocol = "paxos";

  private PrintWriter out;
  private DemoCluster cluster;
  private DemoClient client;
  private int stepNumber;
  private String stepTitle = "prepare";
  private int requestNumber;
  private long auditHeadIndex;
  private Map<String, Optional<StatusResponse>> lastSeen = Map.of();
  private Map<String, Long> keptPids = Map.of();

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Path directory = dir.toAbsolutePath().normalize();
    try {
      DemoDirectory.prepare(directory);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("demo: " + e.getMessage(), e);
    }
    if (!protocol.equals("paxos") && !protocol.equals("pbft")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--protocol must be paxos or pbft, not '" + protocol + "'");
    }
    long startedNanos = System.nanoTime();
    boolean pbft = protocol.equals("pbft");
    out.println("chil demo: " + (pbft ? "four" : "three") + " nodes of cluster '" + DemoCluster.CLUSTER + "' ("
        + (pbft ? "PBFT" : "Multi-Paxos") + " over mutual TLS) in " + directory);
    cluster = DemoCluster.create(directory, spec.commandLine().getErr(), protocol);
    try (DemoCluster closing = cluster; DemoClient closingClient = new DemoClient(cluster)) {
      client = closingClient;
      try {
        walkThrough();
      } catch (Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
        out.println("    FAILED at step " + stepNumber + " (" + stepTitle + "); stopping the nodes");
        out.flush();
        throw new DemoFailure("demo failed at step " + stepNumber + " (" + stepTitle + "): " + reason);
      }
    }
    out.println("Demo OK in " + seconds(System.nanoTime() - startedNanos) + ". Files, data and node logs: " + directory);
    if (keep) {
      printHowToTalk();
    }
    return 0;
  }

  private void walkThrough() throws Exception {
    begin("setup");
    done("dev PKI in pki/ (CA, " + String.join(", ", cluster.nodes) + ", " + DemoCluster.CLIENT
        + ", admin " + DemoCluster.ADMIN + ", who signed pki/roster.json); configs node-N.yaml on 127.0.0.1 ports "
        + cluster.nodes.stream()
        .map(node -> String.valueOf(cluster.address(node).port())).collect(Collectors.joining(", ")));

    begin("start");
    long startNanos = System.nanoTime();
    List<String> started = new ArrayList<>();
    for (String node : cluster.nodes) {
      started.add(node + " pid " + cluster.start(node));
    }
    await(START_TIMEOUT, "not all nodes serving", () -> allAnswer(cluster.nodes) ? Boolean.TRUE : null);
    done(String.join(", ", started) + ": serving after " + seconds(System.nanoTime() - startNanos) + "; logs node-N.log");

    begin("elect");
    String leader = await(ELECTION_TIMEOUT, "no leader agreed on", () -> agreedLeader(cluster.nodes, null));
    done(leader + (pbft() ? " is the primary of view 0" : " leads") + "; all " + cluster.nodes.size()
        + " nodes agree");

    for (int i = 0; i < CLAIMS.size(); i++) {
      decide(CLAIMS.get(i), cluster.nodes.get(i % cluster.nodes.size()), leader);
    }
    refuseConflict(cluster.nodes.get(CLAIMS.size() % cluster.nodes.size()));

    List<String> survivors = cluster.nodes.stream().filter(node -> !node.equals(leader)).toList();
    int afterFailover = 0;
    String newLeader;
    if (pbft()) {
      // A PBFT view change starts when a request waits too long: the first one after the kill starts it.
      kill(leader);
      decide(CLAIMS_AFTER_FAILOVER.get(0), survivors.get(0), "(changing view)");
      afterFailover = 1;
      newLeader = awaitNewLeader(leader, survivors);
    } else {
      newLeader = failover(leader);
    }
    for (int i = afterFailover; i < CLAIMS_AFTER_FAILOVER.size(); i++) {
      decide(CLAIMS_AFTER_FAILOVER.get(i), survivors.get(i % survivors.size()), newLeader);
    }
    catchUp(leader);
    if (keep) {
      // The verifier opens the logs read-only, so it can run beside the nodes; the nodes are
      // handed over only once every step passed, so a failed demo leaves nothing running.
      verifyAndCompare();
      begin("keep");
      keptPids = cluster.release();
      done("left running (--keep): " + keptPids.entrySet().stream().map(entry -> entry.getKey() + " pid " + entry.getValue())
          .collect(Collectors.joining(", ")));
    } else {
      stopAll();
      verifyAndCompare();
    }
  }

  /** {@code leader} is the one last seen agreed on, for the reader; the node forwards to whoever leads. */
  private void decide(Claim claim, String via, String leader) throws Exception {
    begin("decide");
    ProposeResponse response = client.propose(via, claim.key(), claim.verdict(), nextRequestId(), PROPOSE_TIMEOUT);
    if (!response.getSuccess() || !Json.text(response.getValue()).equals(claim.verdict())) {
      throw new DemoFailure(claim.key() + " was not decided as proposed: \"" + Json.text(response.getValue()) + "\" stands");
    }
    auditHeadIndex = Math.max(auditHeadIndex, response.getAuditIndex());
    done(String.format(Locale.ROOT, "%s = %-22s slot %d, audit index %d (via %s, leader %s; signed by %s)",
        claim.key(), quoted(claim.verdict()), response.getSlot(), response.getAuditIndex(), via, leader, signers(response)));
  }

  /** Under first-wins a second verdict on a claim is decided and audited, but the first one stands. */
  private void refuseConflict(String via) throws Exception {
    begin("conflict");
    ProposeResponse response = client.propose(via, CONFLICT.key(), CONFLICT.verdict(), nextRequestId(), PROPOSE_TIMEOUT);
    String standing = Json.text(response.getValue());
    String first = CLAIMS.stream().filter(claim -> claim.key().equals(CONFLICT.key())).findFirst().orElseThrow().verdict();
    if (response.getSuccess() || !standing.equals(first)) {
      throw new DemoFailure("the second verdict on " + CONFLICT.key() + " was not refused: success=" + response.getSuccess()
          + ", \"" + standing + "\" stands instead of \"" + first + "\"");
    }
    auditHeadIndex = Math.max(auditHeadIndex, response.getAuditIndex());
    done(CONFLICT.key() + " = " + quoted(CONFLICT.verdict()) + " REFUSED: " + quoted(standing) + " stands; the refusal is"
        + " audited too (slot " + response.getSlot() + ", audit index " + response.getAuditIndex() + ")");
  }

  private String failover(String leader) throws Exception {
    begin("failover");
    long pid = cluster.pids().get(leader);
    long killedNanos = System.nanoTime();
    cluster.kill(leader);
    List<String> survivors = cluster.nodes.stream().filter(node -> !node.equals(leader)).toList();
    String newLeader = await(ELECTION_TIMEOUT, "no new leader after " + leader + " was killed",
        () -> agreedLeader(survivors, leader));
    done("killed leader " + leader + " (pid " + pid + ", SIGKILL); " + newLeader + " leads after "
        + seconds(System.nanoTime() - killedNanos));
    return newLeader;
  }

  private boolean pbft() {
    return cluster.protocol.equals("pbft");
  }

  private void kill(String primary) throws Exception {
    begin("kill primary");
    long pid = cluster.pids().get(primary);
    cluster.kill(primary);
    done("killed primary " + primary + " (pid " + pid + ", SIGKILL); the next request starts a view change");
  }

  private String awaitNewLeader(String old, List<String> survivors) throws Exception {
    begin("view change");
    String next = await(ELECTION_TIMEOUT, "no new primary agreed on after " + old + " was killed",
        () -> agreedLeader(survivors, old));
    done(next + " is the primary of the next view; " + survivors.size() + " nodes agree");
    return next;
  }

  private void catchUp(String node) throws Exception {
    begin("catch-up");
    long restartedNanos = System.nanoTime();
    client.reconnect(node);
    long pid = cluster.start(node);
    long decided = auditHeadIndex;
    // Equal heads, at least as far as the last decision acknowledged: the restarted node has
    // everything the others have, including what was decided while it was down.
    long head = await(CATCH_UP_TIMEOUT, "restarted " + node + " did not reach the others' audit head (at least "
        + decided + ")", () -> {
          if (!allAnswer(cluster.nodes)) {
            return null;
          }
          Set<Long> heads = new HashSet<>();
          lastSeen.values().forEach(status -> heads.add(status.orElseThrow().getAuditHeadIndex()));
          long only = heads.iterator().next();
          return heads.size() == 1 && only >= decided ? only : null;
        });
    done("restarted " + node + " (pid " + pid + "); its audit head " + head + " equals the others' after "
        + seconds(System.nanoTime() - restartedNanos));
  }

  private void stopAll() throws Exception {
    begin("stop");
    long stopNanos = System.nanoTime();
    List<String> killed = cluster.stopAll();
    if (!killed.isEmpty()) {
      throw new DemoFailure(String.join(", ", killed) + " did not exit within " + DemoCluster.STOP_TIMEOUT.toSeconds()
          + " s of SIGTERM and was killed; see " + cluster.logFile(killed.get(0)));
    }
    done("SIGTERM to all " + cluster.nodes.size() + ": each exited within " + seconds(System.nanoTime() - stopNanos)
        + " (a clean stop signs the audit head)");
  }

  private void verifyAndCompare() throws Exception {
    X509Certificate ca = PemFiles.readCertificates(cluster.pki("ca.crt")).get(0);
    List<Path> logs = new ArrayList<>();
    for (String node : cluster.nodes) {
      begin("verify");
      Path log = cluster.auditFile(node);
      VerificationResult result = AuditVerifier.verify(log, ca, AuditVerifier.Options.full());
      if (!(result instanceof VerificationResult.Valid valid)) {
        throw new DemoFailure(cluster.directory.relativize(log) + ": " + result.message());
      }
      if (!keep && valid.signedHeads() == 0) {
        throw new DemoFailure(node + " stopped on SIGTERM without signing its audit head; see " + cluster.logFile(node));
      }
      logs.add(log);
      done(String.format(Locale.ROOT, "%s: OK, %d entries in %d slots, head %s…, %d signed head%s%s", node,
          valid.entries(), valid.slots(), valid.head().hashHex().substring(0, 16), valid.signedHeads(),
          valid.signedHeads() == 1 ? "" : "s", keep ? " (a running node signs its head when it stops)" : ""));
    }
    begin("compare");
    AuditComparison.Result comparison = AuditComparison.compare(logs);
    List<String> lines = comparison.lines();
    if (comparison.forked()) {
      throw new DemoFailure(lines.get(lines.size() - 1));
    }
    done(lines.get(lines.size() - 1) + " (common prefix " + comparison.commonPrefix() + " entries)");
  }

  private void printHowToTalk() {
    String credentials = " --ca " + shellWord(cluster.pki("ca.crt")) + " --cert "
        + shellWord(cluster.pki(DemoCluster.CLIENT + ".crt")) + " --key " + shellWord(cluster.pki(DemoCluster.CLIENT + ".key"));
    String target = " --target 127.0.0.1:" + cluster.address(cluster.nodes.get(0)).port();
    out.println("The cluster is still running. Talk to it (any node's port works; followers forward to the leader):");
    out.println("  ./chil status" + target + credentials);
    out.println("  ./chil read" + target + credentials + " " + CLAIMS.get(0).key());
    out.println("  ./chil propose" + target + credentials + " claim-2001 'verified: authentic'");
    out.println("Prometheus metrics (docs/metrics.md lists them), to scrape or curl:");
    for (String node : cluster.nodes) {
      out.println("  " + node + ": http://" + cluster.metricsAddress(node) + "/metrics");
    }
    out.println("Stop it (SIGTERM: each node writes a signed audit head): kill "
        + keptPids.values().stream().map(String::valueOf).collect(Collectors.joining(" ")));
  }

  /** True when every node answers Status; what each said is kept for a timeout message. */
  private boolean allAnswer(List<String> nodes) throws Exception {
    Map<String, Optional<StatusResponse>> seen = new TreeMap<>();
    for (String node : nodes) {
      seen.put(node, client.status(node));
    }
    lastSeen = seen;
    return seen.values().stream().allMatch(Optional::isPresent);
  }

  /** The leader every one of {@code nodes} names, if they agree and it says so itself; null otherwise. */
  private String agreedLeader(List<String> nodes, String notThis) throws Exception {
    if (!allAnswer(nodes)) {
      return null;
    }
    Set<String> named = lastSeen.values().stream().map(status -> status.orElseThrow().getLeader()).collect(Collectors.toSet());
    String leader = named.size() == 1 ? named.iterator().next() : "";
    boolean agreed = nodes.contains(leader) && !leader.equals(notThis)
        && lastSeen.get(leader).orElseThrow().getRole().equals("leader");
    return agreed ? leader : null;
  }

  private interface Probe<T> {
    /** The awaited value, or null while it is not there yet. */
    T poll() throws Exception;
  }

  /**
   * Polls until {@code probe} answers, at most {@code bound}. A node that should run but exited
   * fails at once; on timeout the message says what each node last answered and where its log is.
   */
  private <T> T await(Duration bound, String onTimeout, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    lastSeen = Map.of();
    while (true) {
      for (String node : cluster.pids().keySet()) {
        String exited = cluster.exited(node);
        if (exited != null) {
          throw new DemoFailure(exited);
        }
      }
      T value = probe.poll();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailure(onTimeout + " within " + bound.toSeconds() + " s (" + describe(lastSeen) + "); see "
            + logsToRead());
      }
      Thread.sleep(POLL_PAUSE.toMillis());
    }
  }

  private static String describe(Map<String, Optional<StatusResponse>> seen) {
    if (seen.isEmpty()) {
      return "no answers";
    }
    return seen.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue()
            .map(status -> (status.getRole().equals("leader") ? "leader"
                : status.getRole() + ", leader " + (status.getLeader().isEmpty() ? "unknown" : status.getLeader()))
                + ", audit head " + status.getAuditHeadIndex())
            .orElse("no answer"))
        .collect(Collectors.joining("; "));
  }

  /** The logs of the nodes that did not answer, where the reason most likely is; else all of them. */
  private String logsToRead() {
    List<String> silent = lastSeen.entrySet().stream().filter(entry -> entry.getValue().isEmpty()).map(Map.Entry::getKey)
        .toList();
    if (silent.isEmpty()) {
      return cluster.directory.resolve("node-N.log").toString();
    }
    return silent.stream().map(node -> cluster.logFile(node).toString()).collect(Collectors.joining(", "));
  }

  private void begin(String title) {
    stepNumber++;
    stepTitle = title;
  }

  private void done(String text) {
    out.printf(Locale.ROOT, "%2d. %-9s %s%n", stepNumber, stepTitle, text);
    out.flush();
  }

  private String nextRequestId() {
    return "demo-" + ++requestNumber;
  }

  private static String signers(ProposeResponse response) {
    return response.getCertificate().getVotesList().stream().map(Vote::getSigner).sorted().collect(Collectors.joining(", "));
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  /** A path as one word for a POSIX shell, so that the printed commands can be pasted as they are. */
  private static String shellWord(Path path) {
    String text = path.toString();
    return text.matches("[A-Za-z0-9_./:@%+=,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
