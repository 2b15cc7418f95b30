package dev.chil.node.core.pbft.sim;

import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.pbft.PbftConfig;
import dev.chil.node.core.pbft.PbftReplica;
import dev.chil.node.core.pbft.PbftStorageState;

/** How the simulator builds (and rebuilds after a crash) a correct replica: real, or a broken variant. */
@FunctionalInterface
public interface ReplicaFactory {
  ReplicaFactory REAL = PbftReplica::new;

  PbftReplica create(PbftConfig config, Signer signer, Verifier verifier, PbftStorageState stored);
}
