package dev.chil.node.metrics;

import dev.chil.node.runtime.DriverMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's metrics, in Prometheus conventions: {@code chil_} names, base units (seconds), {@code
 * _total} counters. The driver reports through {@link DriverMetrics}; the rest is sampled from the
 * driver thread ({@link #sample}) or read when scraped. Every metric is listed in docs/metrics.md.
 */
public final class NodeMetrics implements DriverMetrics {
  /** Latency buckets from 0.5 ms to about 16 s: fsyncs are milliseconds, a proposal under failover seconds. */
  private static final double[] SECONDS_BUCKETS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10, 20};
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter decisions;
  private final Counter commands;
  private final Histogram batchCommands;
  private final Histogram proposalSeconds;
  private final Histogram persistSeconds;
  private final Histogram auditAppendSeconds;
  private final Gauge isLeader;
  private final Gauge slotsInFlight;
  private final Gauge delivered;
  private final Gauge auditHead;
  private final Gauge waitingClients;
  private final Gauge peerPhi;
  private final Gauge peerConnected;
  private final Counter leaderChanges;
  private final Counter ballotChanges;
  private ClusterSample last = ClusterSample.empty();

  /**
   * @param driverQueueDepth inputs waiting for the driver
   * @param peerMessages accepted peer messages and the rejected ones, by outcome ("accepted" or a reason)
   * @param droppedOutbound messages to peers dropped because a peer's queue was full
   * @param certificateNotAfter when this node's certificate expires
   */
  public NodeMetrics(String cluster, String nodeId, Clock clock, Supplier<Integer> driverQueueDepth,
      Supplier<Map<String, Long>> peerMessages, Supplier<Long> droppedOutbound, Instant certificateNotAfter) {
    Info.builder().name("chil_node_info").help("This node's name and cluster; always 1")
        .labelNames("node", "cluster").register(registry).addLabelValues(nodeId, cluster);
    decisions = Counter.builder().name("chil_decisions_total").help("Slots decided and appended to the audit log")
        .register(registry);
    commands = Counter.builder().name("chil_commands_total").help("Commands in decided slots").register(registry);
    batchCommands = Histogram.builder().name("chil_batch_commands").help("Commands per decided slot (batch size)")
        .classicOnly().classicUpperBounds(BATCH_BUCKETS).register(registry);
    proposalSeconds = Histogram.builder().name("chil_proposal_duration_seconds").unit(Unit.SECONDS)
        .help("Time from a proposal reaching the driver's queue to its answer, by outcome")
        .labelNames("outcome").classicOnly().classicUpperBounds(SECONDS_BUCKETS).register(registry);
    persistSeconds = Histogram.builder().name("chil_state_persist_duration_seconds").unit(Unit.SECONDS)
        .help("Time to write and fsync one driver turn's durable state (group commit)")
        .classicOnly().classicUpperBounds(SECONDS_BUCKETS).register(registry);
    auditAppendSeconds = Histogram.builder().name("chil_audit_append_duration_seconds").unit(Unit.SECONDS)
        .help("Time to append one turn's decided slots to the audit log, fsync included")
        .classicOnly().classicUpperBounds(SECONDS_BUCKETS).register(registry);
    isLeader = Gauge.builder().name("chil_is_leader").help("1 if this node leads now, else 0").register(registry);
    slotsInFlight = Gauge.builder().name("chil_slots_in_flight").help("Slots accepted here and not yet decided")
        .register(registry);
    delivered = Gauge.builder().name("chil_delivered_slots").help("Slots decided and applied here")
        .register(registry);
    auditHead = Gauge.builder().name("chil_audit_head_index").help("Index of the audit log's last entry")
        .register(registry);
    waitingClients = Gauge.builder().name("chil_waiting_proposals").help("Proposals waiting for their decision")
        .register(registry);
    peerPhi = Gauge.builder().name("chil_peer_phi").help("Phi-accrual suspicion of each peer (suspected above the"
        + " configured threshold)").labelNames("peer").register(registry);
    peerConnected = Gauge.builder().name("chil_peer_connected").help("1 if the channel to the peer is connected")
        .labelNames("peer").register(registry);
    leaderChanges = Counter.builder().name("chil_leader_changes_total")
        .help("Changes of the leader this node believes in, by cause").labelNames("cause").register(registry);
    ballotChanges = Counter.builder().name("chil_ballot_changes_total")
        .help("Elections seen: increases of the highest ballot promised").register(registry);
    GaugeWithCallback.builder().name("chil_driver_queue_depth").help("Inputs waiting for the driver thread")
        .callback(callback -> callback.call(driverQueueDepth.get())).register(registry);
    CounterWithCallback.builder().name("chil_peer_messages_total")
        .help("Messages from peers, by outcome: accepted, or the reason they were rejected").labelNames("outcome")
        .callback(callback -> peerMessages.get().forEach((outcome, count) -> callback.call(count, outcome)))
        .register(registry);
    CounterWithCallback.builder().name("chil_peer_messages_dropped_outbound_total")
        .help("Messages to peers dropped because the peer's queue was full").labelNames()
        .callback(callback -> callback.call(droppedOutbound.get())).register(registry);
    GaugeWithCallback.builder().name("chil_certificate_expiry_seconds").unit(Unit.SECONDS)
        .help("Seconds until this node's certificate expires (negative once expired)")
        .callback(callback -> callback.call(certificateNotAfter.getEpochSecond() - clock.instant().getEpochSecond()))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** Counts the evidence of equivocation the node has recorded, as {@code recorded} reads it (pbft). */
  public void countEvidence(java.util.function.LongSupplier recorded) {
    CounterWithCallback.builder().name("chil_equivocation_evidence_total")
        .help("Evidence of equivocation (two conflicting messages a peer signed) stored beside the audit log")
        .labelNames().callback(callback -> callback.call(recorded.getAsLong())).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void persisted(long nanos) {
    persistSeconds.observe(nanos / 1e9);
  }

  @Override
  public void audited(int slots, long nanos) {
    auditAppendSeconds.observe(nanos / 1e9);
  }

  @Override
  public void decided(int commandCount) {
    decisions.inc();
    commands.inc(commandCount);
    batchCommands.observe(commandCount);
  }

  @Override
  public void proposalEnded(String outcome, long nanos) {
    proposalSeconds.labelValues(outcome).observe(nanos / 1e9);
  }

  /** Updates what is read from the node's state; a change of leader is counted with its cause. */
  public synchronized void sample(ClusterSample now) {
    isLeader.set(now.isLeader() ? 1 : 0);
    slotsInFlight.set(now.slotsInFlight());
    delivered.set(now.deliveredUpTo());
    auditHead.set(now.auditHeadIndex());
    waitingClients.set(now.waitingClients());
    now.phi().forEach((peer, phi) -> peerPhi.labelValues(peer).set(Double.isFinite(phi) ? phi : Double.MAX_VALUE));
    now.connected().forEach((peer, connected) -> peerConnected.labelValues(peer).set(connected ? 1 : 0));
    if (!now.ballot().equals(last.ballot()) && !last.ballot().isEmpty()) {
      ballotChanges.inc();
    }
    String cause = LeaderChange.cause(last, now);
    if (cause != null) {
      leaderChanges.labelValues(cause).inc();
    }
    last = now;
  }
}
