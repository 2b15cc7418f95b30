package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code chil demo} end to end: three node processes, failover, catch-up, audit verify and compare. */
class DemoCommandIT {
  private static final Pattern PID = Pattern.compile("pid (\\d+)");

  @TempDir Path directory;

  @Test
  @Timeout(180)
  void walksThroughTheClusterAndLeavesNoProcessRunning() throws Exception {
    Path demo = directory.resolve("demo");

    CliRun run = CliRun.of("demo", "--dir", demo.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains(
        "decide    claim-1001 = \"verified: authentic\"",
        "decide    claim-1002 = \"verified: forged\"",
        "conflict  claim-1002 = \"verified: authentic\" REFUSED: \"verified: forged\" stands",
        "decide    claim-1006 = \"verified: forged\"",
        "Demo OK in");
    Matcher failover = Pattern.compile("failover  killed leader (node-\\d) \\(pid \\d+, SIGKILL\\); (node-\\d) leads after")
        .matcher(run.out());
    assertThat(failover.find()).as(run.out()).isTrue();
    String killed = failover.group(1);
    String newLeader = failover.group(2);
    assertThat(newLeader).isNotEqualTo(killed);
    String afterFailover = run.out().lines().filter(line -> line.contains("claim-1005")).findFirst().orElseThrow();
    assertThat(afterFailover).contains("leader " + newLeader + "; signed by ").doesNotContain(killed);
    assertThat(run.out()).containsPattern("catch-up  restarted node-\\d \\(pid \\d+\\); its audit head 7 equals the others'");
    for (String node : List.of("node-1", "node-2", "node-3")) {
      // Entries are the seven commands; slots can be more (a linearizable read takes a slot without a command).
      assertThat(run.out()).containsPattern("verify    " + node + ": OK, 7 entries in \\d+ slots, head [0-9a-f]{16}…, 1 signed head");
    }
    assertThat(run.out()).contains("compare   no fork: all logs are identical (common prefix 7 entries)");
    assertThat(pids(run.out()).stream().distinct()).hasSize(4).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("node process " + pid).isEmpty());
  }

  @Test
  void refusesANonEmptyDirectoryItDidNotMakeWithoutTouchingIt() throws Exception {
    Path precious = Files.writeString(directory.resolve("thesis.txt"), "years of work");

    CliRun run = CliRun.of("demo", "--dir", directory.toString());

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(run.err().strip()).startsWith("chil: error: demo: " + directory + " is not empty and was not made by chil demo")
        .doesNotContain("\n");
    assertThat(run.out()).isEmpty();
    try (Stream<Path> entries = Files.list(directory)) {
      assertThat(entries).containsExactly(precious);
    }
    assertThat(Files.readString(precious)).isEqualTo("years of work");
  }

  @Test
  @Timeout(180)
  void keepLeavesTheClusterRunningAndThePrintedCommandsWork() throws Exception {
    Path demo = directory.resolve("kept");
    List<Long> kept = new ArrayList<>();
    try {
      CliRun run = CliRun.of("demo", "--dir", demo.toString(), "--keep");
      Matcher stop = Pattern.compile("kill ([0-9 ]+)\n").matcher(run.out());
      if (stop.find()) {
        Stream.of(stop.group(1).strip().split(" ")).map(Long::parseLong).forEach(kept::add);
      }

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("keep      left running (--keep): node-1 pid ", "compare   no fork",
          "verify    node-1: OK, 7 entries in ");
      assertThat(kept).hasSize(3).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent());
      String status = run.out().lines().filter(line -> line.startsWith("  ./chil status ")).findFirst().orElseThrow();
      CliRun asked = CliRun.of(status.strip().substring("./chil ".length()).split(" "));
      assertThat(asked.exitCode()).as(asked.err()).isZero();
      assertThat(asked.out()).contains("\"audit_head_index\" : 7");
      String read = run.out().lines().filter(line -> line.startsWith("  ./chil read ")).findFirst().orElseThrow();
      CliRun readRun = CliRun.of(read.strip().substring("./chil ".length()).split(" "));
      assertThat(readRun.exitCode()).as(readRun.err()).isZero();
      assertThat(readRun.out()).contains("\"key\" : \"claim-1001\"", "\"value\" : \"verified: authentic\"");
      String propose = run.out().lines().filter(line -> line.startsWith("  ./chil propose ")).findFirst().orElseThrow();
      assertThat(propose).endsWith(" claim-2001 'verified: authentic'");
      List<String> proposeArgs = new ArrayList<>(List.of(propose.strip().substring("./chil ".length(),
          propose.strip().indexOf(" claim-2001")).split(" ")));
      proposeArgs.addAll(List.of("claim-2001", "verified: authentic"));
      CliRun proposed = CliRun.of(proposeArgs.toArray(String[]::new));
      assertThat(proposed.exitCode()).as(proposed.err()).isZero();
      assertThat(proposed.out()).contains("\"success\" : true", "\"audit_index\" : 8");
      String metrics = run.out().lines().filter(line -> line.startsWith("  node-2: http://")).findFirst().orElseThrow();
      HttpResponse<String> scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(metrics.substring("  node-2: ".length()))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.body()).contains("chil_node_info{cluster=\"demo\",node=\"node-2\"} 1", "chil_audit_head_index");
    } finally {
      for (long pid : kept) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
      for (long pid : kept) {
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(20, TimeUnit.SECONDS).join());
      }
    }
  }

  private static List<Long> pids(String out) {
    List<Long> pids = new ArrayList<>();
    Matcher matcher = PID.matcher(out);
    while (matcher.find()) {
      pids.add(Long.parseLong(matcher.group(1)));
    }
    return pids;
  }
}
