package dev.chil.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.node.codec.ClientCertificates;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.pbft.PbftConfig;
import dev.chil.node.core.pbft.PbftDurable;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.node.core.pbft.PbftReplica;
import dev.chil.node.core.pbft.PbftStorageState;
import dev.chil.node.core.pbft.sim.SimKeys;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PbftStateStoreTest {
  private static final String CLUSTER = "test";
  private static final List<String> NAMES = List.of("n1", "n2", "n3", "n4");
  private final SimKeys keys = new SimKeys(CLUSTER, 7);
  private final Roster roster = Roster.equal(CLUSTER, NAMES);
  private final Signer alice = keys.signer(Identity.client(CLUSTER, "alice"));
  private final List<PbftStateStore> opened = new ArrayList<>();

  @TempDir Path directory;

  @AfterEach
  void closeStores() {
    opened.forEach(PbftStateStore::close);
  }

  private PbftStateStore open(String name) {
    PbftStateStore store = PbftStateStore.open(directory.resolve(name + ".db"), ClientCertificates.NONE);
    opened.add(store);
    return store;
  }

  /** Four pure replicas on an in-order queue; each persists every turn to SQLite and to an in-memory fold. */
  private final class Cluster {
    final TreeMap<String, PbftReplica> replicas = new TreeMap<>();
    final TreeMap<String, PbftStateStore> stores = new TreeMap<>();
    final TreeMap<String, PbftStorageState> folds = new TreeMap<>();
    final TreeMap<String, List<Decision>> decided = new TreeMap<>();
    final TreeMap<String, List<PeerMessage>> sent = new TreeMap<>();
    final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    BiPredicate<String, String> link = (from, to) -> true;

    Cluster() {
      for (String name : NAMES) {
        stores.put(name, open(name));
        folds.put(name, new PbftStorageState());
        decided.put(name, new ArrayList<>());
        sent.put(name, new ArrayList<>());
        replicas.put(name, create(name, new PbftStorageState()));
      }
    }

    PbftReplica create(String name, PbftStorageState stored) {
      PbftConfig config = PbftConfig.defaults(name, roster).withTiming(10, 10, 3).withCheckpoints(2, 4);
      return new PbftReplica(config, keys.signer(Identity.node(CLUSTER, name)), keys.verifier(), stored);
    }

    /** A crash and restart: the store reopened, the replica rebuilt from what it loads. */
    void restart(String name) {
      PbftStateStore store = stores.get(name);
      store.close();
      opened.remove(store);
      PbftStateStore reopened = open(name);
      stores.put(name, reopened);
      replicas.put(name, create(name, reopened.load()));
      queue.removeIf(route -> route[1].equals(name));
    }

    void step(String name, Input input) {
      Output output = replicas.get(name).step(input);
      stores.get(name).persist(output.persist());
      output.persist().forEach(record -> folds.get(name).apply((PbftDurable) record));
      for (Envelope envelope : output.messages()) {
        sent.get(name).add(envelope.message());
        queue.add(new Object[] {name, envelope.to(), envelope.message()});
      }
      decided.get(name).addAll(output.decisions());
    }

    void deliverAll() {
      while (!queue.isEmpty()) {
        Object[] route = queue.poll();
        if (link.test((String) route[0], (String) route[1])) {
          step((String) route[1], new Input.Receive((String) route[0], (PeerMessage) route[2]));
        }
      }
    }

    void tick(int times) {
      for (int i = 0; i < times; i++) {
        for (String name : NAMES) {
          step(name, new Input.Tick());
        }
        deliverAll();
      }
    }
  }

  private ClientRequest request(String id) {
    Command command = new Command("claim-" + id, ByteString.copyFromUtf8("authentic"), alice.identity().spiffeId(), id);
    return new ClientRequest(command, ByteString.copyFrom(alice.sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())));
  }

  private static void assertSameState(PbftStorageState loaded, PbftStorageState fold) {
    assertThat(loaded.view()).isEqualTo(fold.view());
    assertThat(loaded.viewChange()).isEqualTo(fold.viewChange());
    assertThat(loaded.newView()).isEqualTo(fold.newView());
    assertThat(loaded.stable()).isEqualTo(fold.stable());
    assertThat(loaded.prePrepared()).isEqualTo(fold.prePrepared());
    assertThat(loaded.prepared()).isEqualTo(fold.prepared());
    assertThat(loaded.executed()).isEqualTo(fold.executed());
  }

  @Test
  void whatIsLoadedIsTheCoresOwnFoldOfWhatWasPersisted() {
    Cluster cluster = new Cluster();
    for (int i = 0; i < 7; i++) {
      cluster.step("n1", new Input.SubmitRequest(request("r" + i)));
      cluster.tick(1);
    }
    // The primary falls silent with a request waiting: a view change, a NewView, more decisions.
    cluster.link = (from, to) -> !from.equals("n1") && !to.equals("n1");
    for (String name : NAMES) {
      cluster.step(name, new Input.SubmitRequest(request("late")));
    }
    cluster.tick(60);
    assertThat(cluster.replicas.get("n2").view()).isEqualTo(1);
    for (String name : NAMES) {
      assertSameState(cluster.stores.get(name).load(), cluster.folds.get(name));
    }
    PbftStorageState n2 = cluster.stores.get("n2").load();
    assertThat(n2.newView()).isNotNull();
    assertThat(n2.executed()).extracting(Decision::slot).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(n2.stable().sequence()).isGreaterThanOrEqualTo(6);
    // What the core forgot below the stable checkpoint, the store deleted.
    assertThat(cluster.stores.get("n2").rows("pre_prepared")).isEqualTo(n2.prePrepared().size());
    assertThat(n2.prePrepared().keySet()).allMatch(sequence -> sequence >= n2.stable().sequence());
    assertThat(cluster.stores.get("n2").rows("prepared")).isLessThan(8);
  }

  @Test
  void aViewChangeSentAndNotYetAnsweredComesBack() {
    Cluster cluster = new Cluster();
    cluster.link = (from, to) -> false;
    cluster.step("n2", new Input.SubmitRequest(request("r1")));
    cluster.tick(12);
    PbftStorageState loaded = cluster.stores.get("n2").load();
    assertThat(loaded.viewChange()).isNotNull();
    assertThat(loaded.view()).isEqualTo(cluster.replicas.get("n2").view());
    assertSameState(loaded, cluster.folds.get("n2"));
  }

  @Test
  void aRestartedBackupNeverPreparesAnotherBatchForASequenceItPrepared() {
    Cluster cluster = new Cluster();
    Signer primary = keys.signer(Identity.node(CLUSTER, "n1"));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("a")))));
    assertThat(cluster.sent.get("n2")).anyMatch(message -> message instanceof PbftMessage.PbftPrepare);
    cluster.restart("n2");
    cluster.sent.get("n2").clear();
    // A Byzantine primary tries another batch for the same (view, sequence) after the restart.
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("b")))));
    assertThat(cluster.sent.get("n2")).noneMatch(message -> message instanceof PbftMessage.PbftPrepare);
  }

  @Test
  void aRestartedReplicaCarriesItsPreparedCertificatesIntoTheViewChange() {
    Cluster cluster = new Cluster();
    // n4 hears no Commits: it prepares sequence 0 and cannot commit it.
    cluster.link = (from, to) -> !to.equals("n4") || !(lastIsCommit(cluster));
    cluster.step("n1", new Input.SubmitRequest(request("r1")));
    cluster.deliverAll();
    PbftStorageState before = cluster.stores.get("n4").load();
    assertThat(before.prepared()).containsKey(0L);
    cluster.restart("n4");
    cluster.link = (from, to) -> false;
    cluster.step("n4", new Input.SubmitRequest(request("r2")));
    cluster.tick(12);
    PbftMessage.ViewChange viewChange = cluster.sent.get("n4").stream()
        .filter(message -> message instanceof PbftMessage.ViewChange).map(message -> (PbftMessage.ViewChange) message)
        .findFirst().orElseThrow();
    assertThat(viewChange.prepared()).extracting(PbftMessage.PreparedCertificate::sequence).containsExactly(0L);
  }

  private static boolean lastIsCommit(Cluster cluster) {
    Object[] head = cluster.queue.peek();
    return head == null || head[2] instanceof PbftMessage.Commit;
  }

  @Test
  void aRestartedReplicaRejoinsAndEveryReplicaExecutesTheSame() {
    Cluster cluster = new Cluster();
    for (int i = 0; i < 3; i++) {
      cluster.step("n1", new Input.SubmitRequest(request("r" + i)));
      cluster.tick(1);
    }
    cluster.restart("n3");
    cluster.decided.get("n3").clear();
    assertThat(cluster.replicas.get("n3").nextToExecute()).isEqualTo(3);
    for (int i = 3; i < 6; i++) {
      cluster.step("n1", new Input.SubmitRequest(request("r" + i)));
      cluster.tick(1);
    }
    cluster.tick(5);
    assertThat(cluster.decided.get("n3")).extracting(Decision::slot).containsExactly(3L, 4L, 5L);
    assertThat(cluster.stores.get("n3").load().executed()).isEqualTo(cluster.stores.get("n1").load().executed());
  }

  @Test
  void aPrePrepareOfALowerViewNeverReplacesAHigherOne() {
    PbftStateStore store = open("one");
    Signer n2 = keys.signer(Identity.node(CLUSTER, "n2"));
    PbftMessage.PrePrepare higher = PbftMessage.PrePrepare.signed(n2, 5, 3, List.of(request("a")));
    PbftMessage.PrePrepare lower = PbftMessage.PrePrepare.signed(n2, 1, 3, List.of(request("b")));
    store.persist(List.of(new PbftDurable.PrePrepared(higher)));
    store.persist(List.of(new PbftDurable.PrePrepared(lower)));
    assertThat(store.load().prePrepared().get(3L)).isEqualTo(higher);
  }

  @Test
  void refusesExecutionsOutOfOrderBeforeWritingAnything() {
    PbftStateStore store = open("one");
    Cluster cluster = new Cluster();
    cluster.step("n1", new Input.SubmitRequest(request("r1")));
    cluster.tick(1);
    Decision first = cluster.decided.get("n1").get(0);
    Decision gap = new Decision(1, first.commands(),
        new dev.chil.audit.chain.QuorumCertificate(new dev.chil.audit.chain.VoteStatement(1,
            first.certificate().statement().epoch(), first.certificate().statement().digest()),
            first.certificate().votes()), first.toApply());
    List<Durable> records = List.of(new PbftDurable.ViewEntered(0, null), new PbftDurable.Executed(gap));
    assertThatThrownBy(() -> store.persist(records)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("executed sequence 1, expected 0");
    assertThat(store.load().executed()).isEmpty();
  }

  @Test
  void refusesAPaxosStateStore() {
    Path file = directory.resolve("paxos.db");
    PaxosStateStore.open(file).close();
    assertThatThrownBy(() -> PbftStateStore.open(file, ClientCertificates.NONE))
        .isInstanceOf(StorageException.class).hasMessageContaining("application id");
  }
}
