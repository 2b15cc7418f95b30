package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import dev.chil.audit.store.AuditLog;
import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.CertifiedSlot;
import dev.chil.node.codec.PaxosCodec;
import dev.chil.node.core.paxos.CatchUpFromAudit;
import dev.chil.node.core.paxos.PaxosMessage;
import dev.chil.node.transport.PeerTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a peer catching up from further back than the core keeps in memory: the core asks with
 * a {@link CatchUpFromAudit}, and this reads those slots, with their certificates, from the audit
 * log on its own thread, off the driver's, and sends them as a catch-up reply. The peer checks
 * every certificate, so nothing here is trusted. Bounded: a few requests wait at most; one more
 * is dropped, and its peer asks again after its retransmit timeout.
 */
final class AuditCatchUpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCatchUpServer.class);
  static final int WAITING_MAX = 8;
  /** Command bytes per reply at most (at least one slot is always sent), well below a peer message's limit. */
  static final long REPLY_BYTES_MAX = 8L << 20;

  private final AuditLog audit;
  private final PeerTransport transport;
  private final ThreadPoolExecutor executor;

  AuditCatchUpServer(AuditLog audit, PeerTransport transport, String nodeId) {
    this.audit = audit;
    this.transport = transport;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WAITING_MAX),
        runnable -> {
          Thread thread = new Thread(runnable, "chil-audit-catch-up-" + nodeId);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Queues the request; returns at once. */
  void serve(List<String> peers, CatchUpFromAudit request) {
    try {
      executor.execute(() -> answer(List.copyOf(peers), request));
    } catch (RejectedExecutionException e) {
      LOG.debug("catch-up from slot {} for {} dropped: {} requests wait already", request.fromSlot(), peers, WAITING_MAX);
    }
  }

  private void answer(List<String> peers, CatchUpFromAudit request) {
    List<CertifiedSlot> slots;
    try {
      slots = audit.slots(request.fromSlot(), request.slotsMax());
    } catch (AuditStoreException | RuntimeException e) {
      LOG.warn("cannot serve catch-up from slot {} to {} from the audit log: {}", request.fromSlot(), peers,
          e.getMessage());
      return;
    }
    List<PaxosMessage.Decide> decisions = new ArrayList<>(slots.size());
    long bytes = 0;
    for (CertifiedSlot slot : slots) {
      for (Command command : slot.commands()) {
        bytes += command.value().size() + command.key().length();
      }
      if (!decisions.isEmpty() && bytes > REPLY_BYTES_MAX) {
        break;
      }
      decisions.add(new PaxosMessage.Decide(slot.slot(), slot.commands(), slot.certificate()));
    }
    if (decisions.isEmpty()) {
      return;
    }
    PaxosCodec.Encoded encoded = PaxosCodec.encode(new PaxosMessage.CatchUpReply(decisions));
    transport.send(peers, encoded.messageType(), encoded.payload());
    LOG.debug("served slots {}-{} from the audit log to {}", decisions.get(0).slot(),
        decisions.get(decisions.size() - 1).slot(), peers);
  }

  /** Stops after the request in progress; waiting ones are dropped. Before the audit log closes. */
  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
