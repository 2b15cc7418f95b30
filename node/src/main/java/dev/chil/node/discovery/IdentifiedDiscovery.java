package dev.chil.node.discovery;

import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.Identity;
import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns which roster member listens where by asking each address from a source (the config's
 * id-less entries, or DNS) who it is, every refresh. A member's address is only ever taken from the
 * certificate it presents; an address that answers as a stranger, a foreign cluster or no node at
 * all, or as a member whose signed weight is not the one the config gives that address, is refused
 * and logged. Nothing here can add a member or change a weight: the signed roster fixes both.
 */
public final class IdentifiedDiscovery implements PeerDiscovery, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdentifiedDiscovery.class);
  static final Duration UNKNOWN_RETRY = Duration.ofSeconds(1);

  private final String self;
  private final Set<String> members;
  private final SortedMap<String, Integer> weights;
  private final AddressSource source;
  private final CertificateProbe probe;
  private final Duration refresh;
  private final SortedMap<String, HostPort> bound = new TreeMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "chil-discovery");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param self this node's name: its own address in an answer (a headless Service lists every pod) is skipped
   * @param weights the signed roster's members and their weights, this node's included
   */
  IdentifiedDiscovery(String self, SortedMap<String, Integer> weights, AddressSource source, CertificateProbe probe,
      Duration refresh) {
    this.self = self;
    this.weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    this.members = this.weights.keySet();
    this.source = source;
    this.probe = probe;
    this.refresh = refresh;
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Addresses from the config's entries that give no id, with the weight the config gives each,
   * asked again at each refresh.
   */
  public static IdentifiedDiscovery fromAddresses(String self, SortedMap<String, Integer> weights,
      Map<HostPort, Integer> addresses, CertificateProbe probe, Duration refresh) {
    Map<HostPort, Integer> fixed = Map.copyOf(addresses);
    return new IdentifiedDiscovery(self, weights, new AddressSource() {
      @Override
      public List<HostPort> addresses() {
        return List.copyOf(fixed.keySet());
      }

      @Override
      public OptionalInt weightAt(HostPort address) {
        Integer weight = fixed.get(address);
        return weight == null ? OptionalInt.empty() : OptionalInt.of(weight);
      }

      @Override
      public String describe() {
        return "config";
      }
    }, probe, refresh);
  }

  /**
   * Addresses from DNS (A/AAAA of {@code name} at {@code port}, and SRV {@code _consensus._tcp.<name>}),
   * asked again every refresh; a changed answer moves a member once its certificate proves it.
   */
  public static IdentifiedDiscovery fromDns(String self, SortedMap<String, Integer> weights, String name, int port,
      Optional<HostPort> server, CertificateProbe probe, Duration refresh) {
    return new IdentifiedDiscovery(self, weights, new DnsAddressSource(name, port, server), probe, refresh);
  }

  /** A member whose address is already known for certain (the config names it, or formation asked it). */
  public synchronized void bind(String member, HostPort address) {
    requireMember(member);
    bound.put(member, address);
  }

  /**
   * Refreshes now and then every refresh period, on its own thread; every second instead while a
   * member's address is still unknown, so a restarted node finds its peers soon after they answer.
   */
  public void start() {
    schedule(Duration.ZERO);
  }

  private void schedule(Duration delay) {
    try {
      executor.schedule(() -> {
        refreshQuietly();
        schedule(unknown().isEmpty() ? refresh : UNKNOWN_RETRY.compareTo(refresh) < 0 ? UNKNOWN_RETRY : refresh);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** Asks every address of the source who it is, and moves members to the addresses that proved it. */
  public void refreshNow() {
    List<HostPort> candidates;
    try {
      candidates = source.addresses();
    } catch (IOException e) {
      LOG.warn("discovery from {} failed; keeping the addresses known: {}", source.describe(), e.getMessage());
      return;
    }
    boolean changed = false;
    for (HostPort address : new LinkedHashSet<>(candidatesSorted(candidates))) {
      changed |= identify(address);
    }
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  private static List<HostPort> candidatesSorted(List<HostPort> candidates) {
    return candidates.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
  }

  private boolean identify(HostPort address) {
    Identity identity;
    try {
      identity = probe.probe(address).identity();
    } catch (CertificateRejectedException e) {
      DiscoveryEvents.addressRefused(address.toString(), source.describe(), e.getMessage());
      return false;
    } catch (IOException e) {
      LOG.debug("{} did not answer: {}", address, e.getMessage());
      return false;
    }
    if (identity.name().equals(self)) {
      return false;
    }
    if (!members.contains(identity.name())) {
      DiscoveryEvents.addressRefused(address.toString(), source.describe(),
          identity + " is not a member of the signed roster " + new TreeSet<>(members));
      return false;
    }
    OptionalInt stated = source.weightAt(address);
    if (stated.isPresent() && stated.getAsInt() != weights.get(identity.name())) {
      DiscoveryEvents.addressRefused(address.toString(), source.describe(), identity + " has weight "
          + weights.get(identity.name()) + " in the signed roster, but the config gives this address weight "
          + stated.getAsInt());
      return false;
    }
    synchronized (this) {
      HostPort before = bound.put(identity.name(), address);
      if (!address.equals(before)) {
        LOG.info("peer {} is at {} (was {}), as its certificate proves", identity.name(), address,
            before == null ? "unknown" : before);
        return true;
      }
      return false;
    }
  }

  private void refreshQuietly() {
    try {
      refreshNow();
    } catch (RuntimeException e) {
      LOG.error("discovery refresh failed", e);
    }
  }

  private void requireMember(String member) {
    if (!members.contains(member) || member.equals(self)) {
      throw new IllegalArgumentException(member + " is not another member of the roster " + new TreeSet<>(members));
    }
  }

  @Override
  public synchronized SortedMap<String, HostPort> addresses() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(bound));
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** For status lines: which members have no known address yet. */
  public synchronized Set<String> unknown() {
    Set<String> unknown = new TreeSet<>(members);
    unknown.remove(self);
    unknown.removeAll(bound.keySet());
    return unknown;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
