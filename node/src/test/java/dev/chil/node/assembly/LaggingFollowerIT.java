package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.chil.node.runtime.ProposalResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes over mutual TLS that keep only 16 decided slots in memory: a follower stopped
 * while many times that many slots are decided catches up from its peers' audit logs after its
 * restart, to the same audit head, and then votes again.
 *
 * <p>The leader is restarted before the follower comes back: otherwise its peer link would still
 * hold every message the follower missed (up to 10,000) and deliver them in order on reconnect,
 * and the audit log would not be needed. A longer outage overflows that queue in the same way.
 */
class LaggingFollowerIT {
  private static final int WINDOW_SLOTS = 16;
  private static final int WRITES = 6 * WINDOW_SLOTS;

  @TempDir Path directory;
  private TestCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new TestCluster(directory, List.of("node-1", "node-2", "node-3"));
    for (String name : cluster.names) {
      Path config = cluster.configFile(name);
      String yaml = Files.readString(config);
      String small = yaml.replace("protocol: {type: paxos, timeout: 10s}", "protocol: {type: paxos, timeout: 10s, retained_slots: " + WINDOW_SLOTS + "}");
      assertThat(small).isNotEqualTo(yaml);
      Files.writeString(config, small);
    }
    cluster.startAll();
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void aFollowerStoppedForManyWindowsCatchesUpToAnEqualAuditHeadAndVotesAgain() throws Exception {
    String leader = leader();
    String lagging = otherThan(leader, null);
    cluster.stop(lagging);
    for (int i = 0; i < WRITES; i++) {
      propose("claim-" + i, "v" + i);
    }
    long decided = status(leader()).deliveredUpTo();
    assertThat(decided).isGreaterThan(3L * WINDOW_SLOTS);
    cluster.stop(leader);
    cluster.start(leader); // it keeps only its last 16 slots in memory, and nothing queued for the follower

    cluster.start(lagging);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      NodeStatus behind = status(lagging);
      NodeStatus ahead = status(leader());
      assertThat(behind.auditHead()).isEqualTo(ahead.auditHead());
      assertThat(behind.deliveredUpTo()).isEqualTo(ahead.deliveredUpTo());
      assertThat(behind.lagging()).isFalse();
    });
    assertThat(status(lagging).auditHead().index()).isGreaterThanOrEqualTo(WRITES);

    // It votes again: with the third node stopped, the leader needs the caught-up one for a quorum.
    String current = leader();
    String third = otherThan(current, lagging);
    cluster.stop(third);
    ProposalResult after = propose("claim-after", "needs the lagging node's vote");
    assertThat(after.certificate().votes()).extracting(vote -> vote.signer()).contains(lagging);
  }

  private ProposalResult propose(String key, String value) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        return cluster.nodes.get(leader()).propose(key, ByteString.copyFromUtf8(value)).get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        last = e; // a leader change mid-write: ask the next leader
      }
    }
    throw last;
  }

  private NodeStatus status(String node) throws Exception {
    return cluster.nodes.get(node).status().get(10, TimeUnit.SECONDS);
  }

  private String leader() {
    List<String> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (ConsensusNode node : cluster.nodes.values()) {
        if (node.status().get(10, TimeUnit.SECONDS).role().equals("leader")) {
          found.add(node.config().nodeId());
          return true;
        }
      }
      return false;
    });
    return found.get(0);
  }

  private String otherThan(String one, String two) {
    return cluster.names.stream().filter(name -> !name.equals(one) && !name.equals(two)).findFirst().orElseThrow();
  }
}
