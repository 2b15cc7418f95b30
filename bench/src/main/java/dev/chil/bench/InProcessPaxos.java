package dev.chil.bench;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.sim.HmacCrypto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Pure Paxos cores wired together in one thread with no faults: every message is delivered at
 * once in send order, nothing is persisted (storage is the driver's cost, not the core's). What
 * is left is the protocol's own work: batching, vote signing and checking, certificates, delivery.
 */
final class InProcessPaxos {
  private record InFlight(String from, String to, PeerMessage message) {}

  private final List<String> names = new ArrayList<>();
  private final TreeMap<String, PaxosReplica> replicas = new TreeMap<>();
  private final ArrayDeque<InFlight> network = new ArrayDeque<>();
  private final String leader;
  private final ByteString value = ByteString.copyFrom(new byte[64]);
  private long requests;
  private long decisionsAtLeader;
  private long commandsAtLeader;

  InProcessPaxos(int nodes, int batchCommandsMax, int pipelineSlotsMax) {
    for (int i = 1; i <= nodes; i++) {
      names.add("n" + i);
    }
    Roster roster = Roster.equal("bench", names);
    HmacCrypto votes = new HmacCrypto("bench", names, 0);
    for (int i = 0; i < nodes; i++) {
      String name = names.get(i);
      // A batch delay of one tick: commands submitted within a tick fill batches before proposing.
      PaxosConfig config = PaxosConfig.defaults(name, roster, i)
          .withTiming(1_000_000, 10, 999_999, 1_000_000)
          .withBatching(batchCommandsMax, 1 << 20, 1, pipelineSlotsMax)
          .withMemory(1024, 256, 1_000_000);
      replicas.put(name, new PaxosReplica(config, votes.signer(name), votes.verifier()));
    }
    leader = names.get(0);
    // Make n1 lead: its election timer fires first only if it alone is ticked.
    while (!replicas.get(leader).isLeader()) {
      step(leader, new Input.Tick());
      deliverAll();
    }
  }

  /** Submits {@code commands} to the leader within one tick, then drives until the leader delivered them. */
  void round(int commands) {
    long target = commandsAtLeader + commands;
    for (int i = 0; i < commands; i++) {
      requests++;
      step(leader, new Input.Submit(new Command("key", value, "bench-client", Long.toString(requests))));
    }
    step(leader, new Input.Tick());
    deliverAll();
    while (commandsAtLeader < target) {
      step(leader, new Input.Tick());
      deliverAll();
    }
  }

  long decisionsAtLeader() {
    return decisionsAtLeader;
  }

  private void deliverAll() {
    InFlight next;
    while ((next = network.poll()) != null) {
      step(next.to(), new Input.Receive(next.from(), next.message()));
    }
  }

  private void step(String name, Input input) {
    Output output = replicas.get(name).step(input);
    for (Envelope envelope : output.messages()) {
      network.add(new InFlight(name, envelope.to(), envelope.message()));
    }
    if (name.equals(leader)) {
      for (Decision decision : output.decisions()) {
        decisionsAtLeader++;
        commandsAtLeader += decision.commands().size();
      }
    }
  }
}
