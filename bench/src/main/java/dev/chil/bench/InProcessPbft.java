package dev.chil.bench;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.QuorumRule;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.pbft.PbftConfig;
import dev.chil.node.core.pbft.PbftReplica;
import dev.chil.node.core.pbft.sim.SimKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Pure PBFT cores wired together in one thread with no faults: every message delivered at once in
 * send order, nothing persisted. What is left is the protocol's own work: client signature checks,
 * PrePrepare/Prepare/Commit signing and checking, certificates, checkpoints, execution. Requests
 * are signed by the bench's client as they are submitted (HMAC, as every signature here).
 */
final class InProcessPbft {
  private record InFlight(String from, String to, PeerMessage message) {}

  private final List<String> names = new ArrayList<>();
  private final TreeMap<String, PbftReplica> replicas = new TreeMap<>();
  private final ArrayDeque<InFlight> network = new ArrayDeque<>();
  private final String primary;
  private final Signer client;
  private final ByteString value = ByteString.copyFrom(new byte[64]);
  private long requests;
  private long decisionsAtPrimary;
  private long commandsAtPrimary;

  InProcessPbft(int nodes, int batchCommandsMax) {
    for (int i = 1; i <= nodes; i++) {
      names.add("n" + i);
    }
    Roster roster = Roster.equal("bench", names);
    SimKeys keys = new SimKeys("bench", 0);
    client = keys.signer(Identity.client("bench", "bench-client"));
    for (String name : names) {
      // Timeouts never fire; a batch delay of one tick lets a tick's requests fill batches.
      PbftConfig config = new PbftConfig(name, roster, QuorumRule.BYZANTINE, 1_000_000, 1_000_000, 1_000_000, 64,
          256, batchCommandsMax, 1, 1_000_000, 1024, 256, 100_000, 128);
      replicas.put(name, new PbftReplica(config, keys.signer(Identity.node("bench", name)), keys.verifier()));
    }
    primary = names.get(0);
  }

  /** Submits {@code commands} to the primary within one tick, then drives until the primary executed them. */
  void round(int commands) {
    long target = commandsAtPrimary + commands;
    for (int i = 0; i < commands; i++) {
      requests++;
      Command command = new Command("key", value, client.identity().spiffeId(), Long.toString(requests));
      ClientRequest request = new ClientRequest(command,
          ByteString.copyFrom(client.sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())));
      step(primary, new Input.SubmitRequest(request));
    }
    while (commandsAtPrimary < target) {
      step(primary, new Input.Tick());
      deliverAll();
    }
  }

  long decisionsAtPrimary() {
    return decisionsAtPrimary;
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
    if (name.equals(primary)) {
      for (Decision decision : output.decisions()) {
        decisionsAtPrimary++;
        commandsAtPrimary += decision.commands().size();
      }
    }
  }
}
