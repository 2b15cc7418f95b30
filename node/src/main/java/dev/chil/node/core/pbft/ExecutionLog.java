package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.node.core.common.ClientTable;
import dev.chil.node.core.common.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Committed sequence numbers and their execution, strictly in order: those committed but waiting
 * for a gap below to close, the next to execute, the state digest chain, the client table that
 * decides which commands apply, and the last executed ones with certificates, to serve catch-up.
 */
final class ExecutionLog {
  private final int retained;
  private final ClientTable clients;
  private final TreeMap<Long, PbftMessage.Certified> committed = new TreeMap<>();
  private final TreeMap<Long, PbftMessage.Certified> executed = new TreeMap<>();
  private final TreeMap<Long, ByteString> executedDigests = new TreeMap<>();
  private long nextToExecute;
  private ByteString stateDigest = StateDigest.GENESIS;

  ExecutionLog(int retained, ClientTable clients) {
    this.retained = retained;
    this.clients = clients;
  }

  /** Rebuilds from executed decisions, sequence 0 first. */
  void restore(List<Decision> decisions) {
    for (Decision decision : decisions) {
      if (decision.slot() != nextToExecute) {
        throw new IllegalStateException("persisted executions skip from " + nextToExecute + " to " + decision.slot());
      }
      committed.put(decision.slot(), new PbftMessage.Certified(decision.slot(), decision.commands(), decision.certificate()));
      executeNext();
    }
  }

  long nextToExecute() {
    return nextToExecute;
  }

  ByteString stateDigest() {
    return stateDigest;
  }

  ClientTable clients() {
    return clients;
  }

  /**
   * Records a committed sequence whose certificate was checked to cover its commands; false if
   * known already (with the same digest: else it throws).
   */
  boolean commit(PbftMessage.Certified entry) {
    ByteString digest = entry.certificate().statement().digest();
    ByteString known = entry.sequence() < nextToExecute ? executedDigests.get(entry.sequence())
        : committed.containsKey(entry.sequence()) ? committed.get(entry.sequence()).certificate().statement().digest()
        : null;
    if (known != null && !known.equals(digest)) {
      throw new IllegalStateException("two batches committed for sequence " + entry.sequence());
    }
    if (entry.sequence() < nextToExecute || committed.containsKey(entry.sequence())) {
      return false;
    }
    committed.put(entry.sequence(), entry);
    return true;
  }

  boolean canExecute() {
    return committed.containsKey(nextToExecute);
  }

  /** Executes the next sequence: the decision with the commands not applied before. */
  Decision executeNext() {
    PbftMessage.Certified entry = committed.remove(nextToExecute);
    if (entry == null) {
      throw new IllegalStateException("sequence " + nextToExecute + " is not committed");
    }
    List<Command> toApply = new ArrayList<>(entry.commands().size());
    for (Command command : entry.commands()) {
      if (clients.apply(command, entry.sequence())) {
        toApply.add(command);
      }
    }
    ByteString digest = entry.certificate().statement().digest();
    stateDigest = StateDigest.next(stateDigest, entry.sequence(), digest);
    executed.put(entry.sequence(), entry);
    executedDigests.put(entry.sequence(), digest);
    nextToExecute++;
    executed.headMap(nextToExecute - retained, false).clear();
    executedDigests.headMap(nextToExecute - retained, false).clear();
    QuorumCertificate certificate = entry.certificate();
    return new Decision(entry.sequence(), entry.commands(), certificate, toApply);
  }

  /** Executed sequences from {@code from} on, contiguous, at most {@code max}. */
  List<PbftMessage.Certified> executedFrom(long from, int max) {
    List<PbftMessage.Certified> result = new ArrayList<>();
    for (long sequence = from; result.size() < max && executed.containsKey(sequence); sequence++) {
      result.add(executed.get(sequence));
    }
    return result;
  }

  int waiting() {
    return committed.size();
  }
}
