package dev.chil.node.policy;

import static dev.chil.node.policy.PolicySamples.LIMITS;
import static dev.chil.node.policy.PolicySamples.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.crypto.Identity;
import io.github.bucket4j.TimeMeter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gate's decisions under a hand-turned clock: no sleeps, no timing. */
class PolicyClientGateTest {
  private static final Identity ALICE = Identity.client("test", "alice");
  private static final Identity BOB = Identity.client("test", "bob");

  private final AtomicLong nanos = new AtomicLong();
  private final TimeMeter clock = new TimeMeter() {
    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  };
  private final PolicyCounters counters = new PolicyCounters();

  private ClientGate gate(String yaml) throws PolicyException {
    Policy policy = parse(yaml);
    return new ClientGate(() -> policy, counters, clock);
  }

  private static String limits(int proposalsPerSecond, int proposalsBurst, int allPerSecond, int allBurst) {
    return LIMITS.replace("proposals: {per_second: 10, burst: 20}",
            "proposals: {per_second: " + proposalsPerSecond + ", burst: " + proposalsBurst + "}")
        .replace("proposals: {per_second: 1000, burst: 1000}",
            "proposals: {per_second: " + allPerSecond + ", burst: " + allBurst + "}")
        + "access: {default: allow}\n";
  }

  private int admitted(ClientGate gate, Identity caller, int calls) {
    int admitted = 0;
    for (int i = 0; i < calls; i++) {
      if (gate.admit(caller, Optional.empty(), Operation.PROPOSE).isEmpty()) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void aClientGetsItsBurstThenWaitsForTheRefillWithAHint() throws Exception {
    ClientGate gate = gate(limits(10, 3, 1000, 1000));

    assertThat(admitted(gate, ALICE, 3)).isEqualTo(3);
    Optional<Refusal> refused = gate.admit(ALICE, Optional.empty(), Operation.PROPOSE);

    assertThat(refused).hasValueSatisfying(refusal -> {
      assertThat(refusal.reason()).isEqualTo(Refusal.Reason.THROTTLED);
      assertThat(refusal.retryAfterMillis()).isEqualTo(100); // one token every 100 ms
      assertThat(refusal.detail()).isEqualTo("over limits.client.proposals 10/s (burst 3); retry in 100 ms");
    });
    assertThat(counters.refused(Refusal.Reason.THROTTLED)).isEqualTo(1);

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(admitted(gate, ALICE, 2)).as("one token came back").isEqualTo(1);
  }

  @Test
  void oneClientOverItsLimitLeavesTheOthersTheirs() throws Exception {
    ClientGate gate = gate(limits(10, 5, 1000, 1000));

    assertThat(admitted(gate, ALICE, 1000)).isEqualTo(5);
    assertThat(admitted(gate, BOB, 5)).isEqualTo(5);
  }

  @Test
  void callsRefusedForTheirOwnLimitSpendNothingOfAllClients() throws Exception {
    // Alice's flood is refused by her own bucket; had it been charged to all clients' first, Bob
    // would find the shared bucket empty.
    ClientGate gate = gate(limits(10, 2, 10, 4));

    assertThat(admitted(gate, ALICE, 100)).isEqualTo(2);
    assertThat(admitted(gate, BOB, 2)).isEqualTo(2);
    Optional<Refusal> third = gate.admit(Identity.client("test", "carol"), Optional.empty(), Operation.PROPOSE);

    assertThat(third).hasValueSatisfying(refusal ->
        assertThat(refusal.detail()).startsWith("over limits.all_clients.proposals 10/s (burst 4)"));
  }

  @Test
  void proposalsAndReadsHaveBucketsOfTheirOwn() throws Exception {
    ClientGate gate = gate(limits(10, 1, 1000, 1000));

    assertThat(admitted(gate, ALICE, 2)).isEqualTo(1);
    assertThat(gate.admit(ALICE, Optional.empty(), Operation.READ)).isEmpty();
  }

  @Test
  void anOverrideGivesMatchingIdentitiesTheirOwnRate() throws Exception {
    ClientGate gate = gate(limits(10, 5, 1000, 1000).replace("  all_clients:", "  client_overrides:\n"
        + "    - identity: \"spiffe://test/client/bo*\"\n"
        + "      proposals: {per_second: 1, burst: 1}\n"
        + "  all_clients:"));

    assertThat(admitted(gate, BOB, 5)).isEqualTo(1);
    assertThat(gate.admit(BOB, Optional.empty(), Operation.PROPOSE)).hasValueSatisfying(refusal ->
        assertThat(refusal.detail()).startsWith("over a limits.client_overrides entry's proposals 1/s (burst 1)"));
    assertThat(admitted(gate, ALICE, 5)).isEqualTo(5);
  }

  @Test
  void aReloadedRateReshapesTheBucket() throws Exception {
    AtomicReference<Policy> policy = new AtomicReference<>(parse(limits(10, 2, 1000, 1000)));
    ClientGate gate = new ClientGate(policy::get, counters, clock);
    assertThat(admitted(gate, ALICE, 10)).isEqualTo(2);

    policy.set(parse(limits(10, 50, 1000, 1000)));
    assertThat(admitted(gate, ALICE, 1)).as("the tokens spent stay spent").isZero();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));

    assertThat(admitted(gate, ALICE, 100)).as("the new burst").isEqualTo(50);
  }

  @Test
  void accessAndSizesAreCheckedOnTheRequest() throws Exception {
    ClientGate gate = gate(LIMITS + """
        sizes: {key_bytes_max: 8}
        access:
          default: deny
          rules:
            - name: alice
              identities: ["spiffe://test/client/alice"]
              propose: ["a/"]
              read: ["a/"]
        """);

    assertThat(gate.check(ALICE, Operation.PROPOSE, "a/1", 1, "r1", 10)).isEmpty();
    assertThat(gate.check(ALICE, Operation.PROPOSE, "b/1", 1, "r1", 10)).hasValueSatisfying(refusal -> {
      assertThat(refusal.reason()).isEqualTo(Refusal.Reason.ACCESS_DENIED);
      assertThat(refusal.detail()).contains("access rule 'alice'");
    });
    assertThat(gate.check(BOB, Operation.READ, "a/1", 0, "", 5)).hasValueSatisfying(refusal ->
        assertThat(refusal.detail()).contains("access.default is deny"));
    assertThat(gate.check(ALICE, Operation.PROPOSE, "a/123456789", 1, "r1", 10)).hasValueSatisfying(refusal -> {
      assertThat(refusal.reason()).isEqualTo(Refusal.Reason.TOO_LARGE);
      assertThat(refusal.detail()).contains("sizes.key_bytes_max 8");
    });
    assertThat(counters.refused(Refusal.Reason.ACCESS_DENIED)).isEqualTo(2);
    assertThat(counters.refused(Refusal.Reason.TOO_LARGE)).isEqualTo(1);
  }

  @Test
  void aProposalMustFitTheBatchShareAndAReadTakesNone() throws Exception {
    ClientGate gate = gate(LIMITS + "sizes: {batch_bytes_max: 100}\naccess: {default: allow}\n");
    // spiffe://test/client/alice is 26 characters: 3 * (4 + 26 + 2) = 96 bytes before the value.
    assertThat(gate.check(ALICE, Operation.PROPOSE, "a/12", 4, "r1", 40)).isEmpty();
    assertThat(gate.check(ALICE, Operation.PROPOSE, "a/12", 5, "r1", 41)).hasValueSatisfying(refusal ->
        assertThat(refusal.detail()).isEqualTo("the proposal takes 101 bytes of a batch (3 per character of key,"
            + " client id and request id, plus the value), more than sizes.batch_bytes_max 100"));
    assertThat(gate.check(ALICE, Operation.READ, "a/" + "x".repeat(40), 0, "", 50)).isEmpty();
  }

  @Test
  void whatTheNodeItselfCouldNeverTakeIsLeftToItsOwnChecks() throws Exception {
    // The node's own checks refuse a key over 1024 bytes (INVALID_ARGUMENT, as they always have).
    ClientGate gate = gate(LIMITS + "sizes: {key_bytes_max: 8}\naccess: {default: allow}\n");

    assertThat(gate.check(ALICE, Operation.READ, "k".repeat(9), 0, "", 20)).isPresent();
    assertThat(gate.check(ALICE, Operation.READ, "k".repeat(1025), 0, "", 1030)).isEmpty();
  }
}
