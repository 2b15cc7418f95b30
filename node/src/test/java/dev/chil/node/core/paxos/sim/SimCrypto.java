package dev.chil.node.core.paxos.sim;

import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import java.util.List;

/** Signers and the verifier of a simulated cluster: fast HMAC stand-ins, or the real Tink ones. */
public interface SimCrypto {
  Signer signer(String node);

  Verifier verifier();

  @FunctionalInterface
  interface Factory {
    SimCrypto create(String cluster, List<String> nodes, long seed);
  }
}
