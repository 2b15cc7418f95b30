package dev.chil.node.core.pbft.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientRequest;
import java.util.SplittableRandom;

/**
 * A PBFT client with one request outstanding: it signs the request, sends it to one replica, and
 * if no answer comes within {@code retryTicks} sends the same request (same id) to every replica,
 * as the paper's client does, so that the backups start suspecting a primary that ignores it.
 */
final class SimClient {
  final String id; // the SPIFFE id: what Command.client() holds
  private final Signer signer;
  private final SplittableRandom random;
  private final int requestsTotal;
  private final int retryTicks;
  private int requestsStarted;
  ClientRequest current;
  long retryAtTick;
  int committed;

  SimClient(Signer signer, SplittableRandom random, int requestsTotal, int retryTicks) {
    this.id = signer.identity().spiffeId();
    this.signer = signer;
    this.random = random;
    this.requestsTotal = requestsTotal;
    this.retryTicks = retryTicks;
  }

  /** A new request to send to one replica now, or null. */
  ClientRequest startNew(long now, boolean mayStart) {
    if (current != null || !mayStart || requestsStarted >= requestsTotal) {
      return null;
    }
    requestsStarted++;
    byte[] value = new byte[4 + random.nextInt(12)];
    random.nextBytes(value);
    Command command = new Command("key-" + random.nextInt(8), ByteString.copyFrom(value), id, "req-" + requestsStarted);
    current = new ClientRequest(command, ByteString.copyFrom(signer.sign(ClientRequest.MESSAGE_TYPE,
        command.canonicalBytes())));
    retryAtTick = now + retryTicks;
    return current;
  }

  /** The outstanding request, to send to every replica, when its answer is overdue; else null. */
  ClientRequest retryDue(long now) {
    if (current == null || now < retryAtTick) {
      return null;
    }
    retryAtTick = now + retryTicks;
    return current;
  }

  void onReply(ClientReply reply) {
    if (current != null && reply instanceof ClientReply.Committed && reply.command().equals(current.command())) {
      current = null;
      committed++;
    }
  }

  int pick(int replicas) {
    return random.nextInt(replicas);
  }

  @Override
  public String toString() {
    return id + " committed=" + committed + " started=" + requestsStarted + " current="
        + (current == null ? "-" : current.command().requestId()) + " retryAt=" + retryAtTick;
  }
}
