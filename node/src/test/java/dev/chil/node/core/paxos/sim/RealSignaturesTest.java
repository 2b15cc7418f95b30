package dev.chil.node.core.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The core with real Ed25519 votes through Tink: a short simulation, faults and all. */
@Tag("simulation")
class RealSignaturesTest {

  @Test
  void shortSimulationWithTinkSignatures() {
    for (long seed = 1; seed <= 2; seed++) {
      Simulation.Result result = new Simulation(seed, SimOptions.standard(seed).withCrypto(TinkCrypto::new)).run();
      assertThat(result.slotsDecided()).isPositive();
      System.out.println("tink simulation: " + result);
    }
  }
}
