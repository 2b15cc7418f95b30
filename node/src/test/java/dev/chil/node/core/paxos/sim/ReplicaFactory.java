package dev.chil.node.core.paxos.sim;

import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.paxos.PaxosConfig;
import dev.chil.node.core.paxos.PaxosReplica;
import dev.chil.node.core.paxos.PaxosStorageState;

/** How the simulator builds (and rebuilds after a crash) a replica: real, or a broken variant. */
@FunctionalInterface
public interface ReplicaFactory {
  ReplicaFactory REAL = PaxosReplica::new;

  PaxosReplica create(PaxosConfig config, Signer signer, Verifier verifier, PaxosStorageState stored);
}
