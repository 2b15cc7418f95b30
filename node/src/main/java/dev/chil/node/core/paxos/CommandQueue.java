package dev.chil.node.core.paxos;

import dev.chil.audit.chain.Command;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A leader's client commands: those not yet proposed, cut into batches bounded in commands and
 * bytes (and released early only when full, else after {@code batchDelayTicks}), and every
 * command a client waits on here, answered when its slot is delivered. Bounded by
 * {@code pendingCommandsMax} plus what the pipeline holds.
 */
final class CommandQueue {
  enum Admission { QUEUED, ALREADY_WAITING, TOO_LARGE, FULL }

  private record Pending(Command command, long arrivedTick, int bytes) {}

  private final int batchCommandsMax;
  private final int batchBytesMax;
  private final int batchDelayTicks;
  private final int pendingCommandsMax;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long pendingBytes;
  // By (client, request id), in arrival order.
  private final LinkedHashMap<String, Command> waiting = new LinkedHashMap<>();

  CommandQueue(PaxosConfig config) {
    this.batchCommandsMax = config.batchCommandsMax();
    this.batchBytesMax = config.batchBytesMax();
    this.batchDelayTicks = config.batchDelayTicks();
    this.pendingCommandsMax = config.pendingCommandsMax();
  }

  Admission offer(Command command, long now) {
    int bytes = bytes(command);
    if (bytes > batchBytesMax) {
      return Admission.TOO_LARGE;
    }
    String key = key(command);
    if (waiting.containsKey(key)) {
      return Admission.ALREADY_WAITING; // a retry of a command queued or in flight here
    }
    if (pending.size() >= pendingCommandsMax) {
      return Admission.FULL;
    }
    pending.add(new Pending(command, now, bytes));
    pendingBytes += bytes;
    waiting.put(key, command);
    return Admission.QUEUED;
  }

  /** The next batch, if one is full or its oldest command has waited long enough; else null. */
  List<Command> nextBatch(long now) {
    if (pending.isEmpty()) {
      return null;
    }
    boolean full = pending.size() >= batchCommandsMax || pendingBytes >= batchBytesMax;
    if (!full && now - pending.peek().arrivedTick() < batchDelayTicks) {
      return null;
    }
    List<Command> batch = new ArrayList<>();
    long batchBytes = 0;
    while (!pending.isEmpty() && batch.size() < batchCommandsMax
        && batchBytes + pending.peek().bytes() <= batchBytesMax) {
      Pending next = pending.poll();
      batch.add(next.command());
      batchBytes += next.bytes();
      pendingBytes -= next.bytes();
    }
    return batch;
  }

  /** True when a client waited here for this command (it no longer does). */
  boolean answer(Command command) {
    return waiting.remove(key(command)) != null;
  }

  /** Forgets every command and returns those clients waited on, to be redirected. */
  List<Command> abandon() {
    List<Command> abandoned = new ArrayList<>(waiting.values());
    waiting.clear();
    pending.clear();
    pendingBytes = 0;
    return abandoned;
  }

  int waiting() {
    return waiting.size();
  }

  int pending() {
    return pending.size();
  }

  static String key(Command command) {
    return command.client() + '\0' + command.requestId();
  }

  /** An upper bound of the command's encoded size (three UTF-8 bytes per UTF-16 unit at most). */
  static int bytes(Command command) {
    return 3 * (command.key().length() + command.client().length() + command.requestId().length())
        + command.value().size();
  }
}
