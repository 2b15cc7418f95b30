package dev.chil.node.policy;

import dev.chil.crypto.Identity;
import io.github.bucket4j.TimeMeter;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The policy at the client API, in two steps, cheap before expensive: {@link #admit} when a call
 * arrives, before its request is read (the deny list, then the rate limits), and {@link #check}
 * once the request is there (sizes, then access). Every refusal is counted and logged as a
 * security event. Knows no gRPC: the assembly turns a {@link Refusal} into a status. Thread-safe.
 */
public final class ClientGate {
  /** Client identities whose buckets are kept; beyond, the least recently seen is forgotten. */
  static final int CLIENTS_TRACKED_MAX = 10_000;
  private static final String ALL_CLIENTS = "";

  private final Supplier<Policy> policy;
  private final PolicyCounters counters;
  private final PolicyEvents events;
  private final RateBuckets perClient;
  private final RateBuckets allClients;

  /** @param policy the policy in force, asked on every call (a reload takes effect on the next call) */
  public ClientGate(Supplier<Policy> policy, PolicyCounters counters) {
    this(policy, counters, TimeMeter.SYSTEM_NANOTIME);
  }

  ClientGate(Supplier<Policy> policy, PolicyCounters counters, TimeMeter time) {
    this.policy = policy;
    this.counters = counters;
    this.events = new PolicyEvents();
    this.perClient = new RateBuckets(time, 2 * CLIENTS_TRACKED_MAX);
    this.allClients = new RateBuckets(time, Operation.values().length);
  }

  /**
   * Whether a call may start: its certificate is not denied, and it is within the caller's own
   * rate, then within all clients' (so a client over its own limit spends nothing of the others').
   *
   * @param certificate the caller's verified leaf certificate; empty only without TLS (--insecure-dev)
   */
  public Optional<Refusal> admit(Identity caller, Optional<X509Certificate> certificate, Operation operation) {
    Policy current = policy.get();
    Optional<Refusal> refusal = certificate.flatMap(current.deny()::denial)
        .map(reason -> Refusal.of(Refusal.Reason.CERTIFICATE_DENIED, reason))
        .or(() -> throttled(current, caller.spiffeId(), operation));
    refusal.ifPresent(refused -> refused(caller, operation, "", refused));
    return refusal;
  }

  /**
   * Whether a request that arrived may go on: within the policy's sizes, and allowed by its access
   * rules. {@code value}, {@code requestId} are those of a proposal (empty for a read).
   */
  public Optional<Refusal> check(Identity caller, Operation operation, String key, int valueBytes, String requestId,
      int messageBytes) {
    Policy current = policy.get();
    Optional<Refusal> refusal = current.sizes().problem(operation, key, valueBytes, caller.spiffeId(), requestId, messageBytes)
        .map(reason -> Refusal.of(Refusal.Reason.TOO_LARGE, reason))
        .or(() -> current.access().denial(caller.spiffeId(), operation, key)
            .map(reason -> Refusal.of(Refusal.Reason.ACCESS_DENIED, reason)));
    refusal.ifPresent(refused -> refused(caller, operation, key, refused));
    return refusal;
  }

  private Optional<Refusal> throttled(Policy current, String client, Operation operation) {
    ClientRates rates = current.limits().ratesOf(client);
    long wait = perClient.take(client + " " + operation, rates.of(operation));
    String kind = operation == Operation.PROPOSE ? "proposals" : "reads";
    String limit = (rates == current.limits().client() ? "limits.client." : "a limits.client_overrides entry's ") + kind
        + " " + rates.of(operation);
    if (wait == 0) {
      wait = allClients.take(ALL_CLIENTS + operation, current.limits().allClients().of(operation));
      limit = "limits.all_clients." + kind + " " + current.limits().allClients().of(operation);
    }
    if (wait == 0) {
      return Optional.empty();
    }
    long retryAfterMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
    return Optional.of(new Refusal(Refusal.Reason.THROTTLED, "over " + limit + "; retry in " + retryAfterMillis
        + " ms", retryAfterMillis));
  }

  private void refused(Identity caller, Operation operation, String key, Refusal refusal) {
    counters.countRefused(refusal.reason());
    events.refused(caller.spiffeId(), operation, key, refusal);
  }
}
