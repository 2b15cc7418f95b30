package dev.chil.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading decided slots back with their certificates, as a node serving a peer that catches up. */
class CertifiedSlotsTest {
  private static TestCluster cluster;

  @TempDir Path directory;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  @Test
  void slotsReadBackWithTheirCommandsAndCertificatesInSlotOrder() throws Exception {
    long first = cluster.genesis.firstSlot();
    List<DecidedSlot> written = new ArrayList<>(cluster.slots(first, 3, 2));
    written.add(cluster.decide(first + 3, List.of())); // a no-op
    written.addAll(cluster.slots(first + 4, 2, 1));
    try (AuditLog log = AuditLog.create(directory.resolve("audit.db"), cluster.signed,
        cluster.node("node-1").signer(), AuditLog.Options.defaults())) {
      log.append(written);

      List<CertifiedSlot> read = log.slots(first + 1, 4);

      assertThat(read).extracting(CertifiedSlot::slot).containsExactly(first + 1, first + 2, first + 3, first + 4);
      for (CertifiedSlot slot : read) {
        DecidedSlot original = written.get((int) (slot.slot() - first));
        assertThat(slot.commands()).isEqualTo(original.commands());
        assertThat(slot.certificate()).isEqualTo(original.certificate());
      }
      assertThat(log.slots(first + 4, 100)).extracting(CertifiedSlot::slot).containsExactly(first + 4, first + 5);
      assertThat(log.slots(first + 6, 10)).isEmpty();
    }
  }

  @Test
  void aReadOfTooManySlotsIsRefused() throws Exception {
    try (AuditLog log = AuditLog.create(directory.resolve("audit.db"), cluster.signed,
        cluster.node("node-1").signer(), AuditLog.Options.defaults())) {
      assertThatThrownBy(() -> log.slots(0, AuditLog.READ_SLOTS_MAX + 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }
  }
}
