package dev.chil.node.core.paxos.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.ClientReply;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client with one request outstanding at a time. It sends to the replica it believes leads,
 * follows redirects, and after {@code retryTicks} without an answer retries the same command
 * (same client and request id) at another replica: the retry the core must apply only once.
 */
final class SimClient {
  final String name;
  private final SplittableRandom random;
  private final int requestsTotal;
  private final int retryTicks;
  private int requestsStarted;
  Command current;
  String target;
  long retryAtTick;
  private boolean redirected;
  int committed;
  // The latest requests, for late retries: fewer than the cores' per-client table remembers.
  private final List<Command> recent = new ArrayList<>();
  static final int RECENT_MAX = 50;

  private final int thinkTicksMax;
  private long nextRequestTick;

  /** {@code thinkTicksMax}: a random pause after each answer, so that a leader is sometimes idle. */
  SimClient(String name, SplittableRandom random, int requestsTotal, int retryTicks, int thinkTicksMax) {
    this.thinkTicksMax = thinkTicksMax;
    this.name = name;
    this.random = random;
    this.requestsTotal = requestsTotal;
    this.retryTicks = retryTicks;
  }

  /** The command to send now and where, or null. */
  Command due(long now, List<String> nodes, boolean mayStartNew) {
    if (current == null) {
      if (!mayStartNew || requestsStarted >= requestsTotal || now < nextRequestTick) {
        return null;
      }
      requestsStarted++;
      byte[] value = new byte[4 + random.nextInt(12)];
      random.nextBytes(value);
      current = new Command("key-" + random.nextInt(8), ByteString.copyFrom(value), name, "req-" + requestsStarted);
      if (recent.size() == RECENT_MAX) {
        recent.remove(0);
      }
      recent.add(current);
      target = target != null ? target : nodes.get(random.nextInt(nodes.size()));
    } else if (now < retryAtTick) {
      return null;
    } else if (!redirected) {
      // No answer in time: that replica may be down or cut off; try another.
      target = nodes.get(random.nextInt(nodes.size()));
    }
    redirected = false;
    retryAtTick = now + retryTicks;
    return current;
  }

  void onReply(long now, ClientReply reply, List<String> nodes) {
    if (current == null || !reply.command().equals(current)) {
      return; // an answer to an earlier attempt
    }
    if (reply instanceof ClientReply.Committed) {
      current = null;
      committed++;
      nextRequestTick = thinkTicksMax == 0 ? 0 : now + random.nextInt(thinkTicksMax + 1);
    } else if (reply instanceof ClientReply.Redirect redirect) {
      target = redirect.leaderHint() != null ? redirect.leaderHint() : nodes.get(random.nextInt(nodes.size()));
      retryAtTick = now + 1 + random.nextInt(3);
      redirected = true;
    } else {
      retryAtTick = now + retryTicks;
    }
  }

  @Override
  public String toString() {
    return name + " committed=" + committed + " started=" + requestsStarted + " current="
        + (current == null ? "-" : current.requestId()) + " target=" + target + " retryAt=" + retryAtTick;
  }

  /** One of this client's latest requests, to send again late (a retry held up in the network), or null. */
  Command lateRetry(SplittableRandom choice) {
    return recent.isEmpty() ? null : recent.get(choice.nextInt(recent.size()));
  }

  boolean finished() {
    return current == null && requestsStarted >= requestsTotal;
  }
}
