package dev.chil.audit.store;

import dev.chil.audit.chain.DecidedSlot;
import dev.chil.audit.chain.TestCluster;
import dev.chil.crypto.PemFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: makes a cluster, writes its CA certificate and node-1's
 * credentials beside the log, then appends batches of slots of random sizes until it is killed.
 *
 * <p>Arguments: the directory, and the random seed.
 */
public final class AppendingChild {
  private AppendingChild() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    TestCluster cluster = TestCluster.paxos(3);
    PemFiles.writeCertificate(directory.resolve("ca.crt"), cluster.authority.certificate());
    PemFiles.writeCertificate(directory.resolve("node-1.crt"), cluster.node("node-1").certificate());
    PemFiles.writePrivateKey(directory.resolve("node-1.key"), cluster.node("node-1").privateKey());
    try (AuditLog log = AuditLog.create(directory.resolve("audit.db"), cluster.genesis,
        cluster.node("node-1").signer(), new AuditLog.Options(50))) {
      System.out.println("appending");
      while (true) {
        List<DecidedSlot> batch = new ArrayList<>();
        int slots = 1 + random.nextInt(8);
        for (int i = 0; i < slots; i++) {
          long slot = log.nextSlot() + i;
          // Some no-ops, some big slots: a kill can land anywhere in a transaction.
          int commands = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(40);
          batch.add(cluster.decide(slot, TestCluster.commands(slot, commands)));
        }
        log.append(batch);
      }
    }
  }
}
