package dev.chil.node.core.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.pbft.sim.SimKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class PbftReplicaTest {
  private static final String CLUSTER = "test";
  private static final List<String> NAMES = List.of("n1", "n2", "n3", "n4");
  private final SimKeys keys = new SimKeys(CLUSTER, 7);
  private final Roster roster = Roster.equal(CLUSTER, NAMES);
  private final Signer alice = keys.signer(Identity.client(CLUSTER, "alice"));

  /** Four replicas wired by an in-order queue; a filter can drop messages. */
  private final class Cluster {
    final TreeMap<String, PbftReplica> replicas = new TreeMap<>();
    final TreeMap<String, PbftStorageState> storage = new TreeMap<>();
    final TreeMap<String, List<Decision>> decided = new TreeMap<>();
    final List<ClientReply> replies = new ArrayList<>();
    final List<Evidence> evidence = new ArrayList<>();
    final ArrayDeque<String[]> order = new ArrayDeque<>();
    final ArrayDeque<PeerMessage> queue = new ArrayDeque<>();
    BiPredicate<String, String> link = (from, to) -> true;

    Cluster() {
      for (String name : NAMES) {
        storage.put(name, new PbftStorageState());
        decided.put(name, new ArrayList<>());
        replicas.put(name, create(name, new PbftStorageState()));
      }
    }

    PbftReplica create(String name, PbftStorageState stored) {
      PbftConfig config = PbftConfig.defaults(name, roster).withTiming(10, 10, 3).withCheckpoints(2, 4);
      return new PbftReplica(config, keys.signer(Identity.node(CLUSTER, name)), keys.verifier(), stored);
    }

    void step(String name, Input input) {
      Output output = replicas.get(name).step(input);
      output.persist().forEach(record -> storage.get(name).apply((PbftDurable) record));
      for (Envelope envelope : output.messages()) {
        order.add(new String[] {name, envelope.to()});
        queue.add(envelope.message());
      }
      decided.get(name).addAll(output.decisions());
      replies.addAll(output.replies());
      evidence.addAll(output.evidence());
    }

    void deliverAll() {
      while (!queue.isEmpty()) {
        String[] route = order.poll();
        PeerMessage message = queue.poll();
        if (link.test(route[0], route[1])) {
          step(route[1], new Input.Receive(route[0], message));
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
    Command command = new Command("claim-" + id, ByteString.copyFromUtf8("authentic"),
        alice.identity().spiffeId(), id);
    return new ClientRequest(command, ByteString.copyFrom(alice.sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes())));
  }

  @Test
  void refusesARosterThatIsNot3fPlus1NodesOfWeightOne() {
    assertThatThrownBy(() -> PbftConfig.defaults("n1", Roster.equal(CLUSTER, List.of("n1", "n2", "n3"))))
        .hasMessageContaining("pbft needs n = 3f+1 nodes").hasMessageContaining("not 3");
    TreeMap<String, Integer> weights = new TreeMap<>();
    NAMES.forEach(name -> weights.put(name, name.equals("n1") ? 2 : 1));
    assertThatThrownBy(() -> PbftConfig.defaults("n1", Roster.of(CLUSTER, weights)))
        .hasMessageContaining("every node at weight 1");
    assertThat(PbftConfig.defaults("a", Roster.equal(CLUSTER, List.of("a", "b", "c", "d", "e", "f", "g")))
        .faultsTolerated()).isEqualTo(2);
  }

  @Test
  void everyReplicaExecutesASignedRequestWithACertificateOf2fPlus1Commits() {
    Cluster cluster = new Cluster();
    cluster.step("n1", new Input.SubmitRequest(request("r1")));
    cluster.tick(1);
    for (String name : NAMES) {
      List<Decision> decisions = cluster.decided.get(name);
      assertThat(decisions).hasSize(1);
      assertThat(decisions.get(0).slot()).isZero();
      assertThat(decisions.get(0).toApply()).extracting(Command::requestId).containsExactly("r1");
      assertThat(new TreeSet<>(decisions.get(0).certificate().votes().stream().map(v -> v.signer()).toList()))
          .hasSizeGreaterThanOrEqualTo(3);
    }
    assertThat(cluster.replies).anyMatch(reply -> reply instanceof ClientReply.Committed);
  }

  @Test
  void refusesUnsignedAndForgedRequests() {
    Cluster cluster = new Cluster();
    Command command = request("r1").command();
    cluster.step("n1", new Input.Submit(command));
    cluster.step("n1", new Input.SubmitRequest(new ClientRequest(command, ByteString.copyFrom(new byte[32]))));
    cluster.tick(3);
    assertThat(cluster.replies).hasSize(2).allMatch(reply -> reply instanceof ClientReply.Rejected);
    assertThat(cluster.decided.get("n2")).isEmpty();
  }

  @Test
  void backupsRefuseAPrePrepareCarryingARequestItsClientDidNotSign() {
    Cluster cluster = new Cluster();
    Signer primary = keys.signer(Identity.node(CLUSTER, "n1"));
    Command made = new Command("claim", ByteString.copyFromUtf8("forged"), alice.identity().spiffeId(), "x");
    ClientRequest forged = new ClientRequest(made, ByteString.copyFrom(primary.sign(ClientRequest.MESSAGE_TYPE,
        made.canonicalBytes())));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(forged))));
    assertThat(cluster.queue).isEmpty(); // no Prepare
    assertThat(cluster.replicas.get("n2").invalidInputs()).isEqualTo(1);
  }

  @Test
  void twoSignedPrePreparesForOneSequenceAreEvidence() {
    Cluster cluster = new Cluster();
    Signer primary = keys.signer(Identity.node(CLUSTER, "n1"));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("a")))));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("b")))));
    assertThat(cluster.evidence).singleElement().satisfies(evidence -> {
      assertThat(evidence.replica()).isEqualTo("n1");
      assertThat(evidence.messageType()).isEqualTo(PbftMessage.PRE_PREPARE);
      assertThat(evidence.sequence()).isZero();
    });
    // It prepared the first only.
    assertThat(cluster.storage.get("n2").prePrepared().get(0L).batch()).containsExactly(request("a"));
  }

  @Test
  void aRestartedBackupDoesNotPrepareAnotherBatchForTheSameSequence() {
    Cluster cluster = new Cluster();
    Signer primary = keys.signer(Identity.node(CLUSTER, "n1"));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("a")))));
    cluster.queue.clear();
    cluster.order.clear();
    cluster.replicas.put("n2", cluster.create("n2", cluster.storage.get("n2").copy()));
    cluster.step("n2", new Input.Receive("n1", PbftMessage.PrePrepare.signed(primary, 0, 0, List.of(request("b")))));
    assertThat(cluster.queue).noneMatch(message -> message instanceof PbftMessage.PbftPrepare);
  }

  @Test
  void aSilentPrimaryIsReplacedAndTheRequestExecutesInTheNextView() {
    Cluster cluster = new Cluster();
    cluster.link = (from, to) -> !from.equals("n1") && !to.equals("n1");
    for (String name : NAMES) {
      cluster.step(name, new Input.SubmitRequest(request("r1")));
    }
    cluster.tick(60);
    for (String name : List.of("n2", "n3", "n4")) {
      assertThat(cluster.replicas.get(name).view()).isEqualTo(1);
      assertThat(cluster.replicas.get(name).isChangingView()).isFalse();
      assertThat(cluster.decided.get(name)).extracting(Decision::slot).containsExactly(0L);
    }
    assertThat(cluster.replicas.get("n2").isPrimaryOfView()).isTrue();
  }

  /** A node's client reaches one backup only: that backup relays the request, so f+1 correct replicas time it. */
  @Test
  void aSilentPrimaryIsReplacedEvenWhenTheClientReachedOnlyOneBackup() {
    Cluster cluster = new Cluster();
    cluster.link = (from, to) -> !from.equals("n1") && !to.equals("n1");
    cluster.step("n3", new Input.SubmitRequest(request("r1")));
    cluster.tick(60);
    for (String name : List.of("n2", "n3", "n4")) {
      assertThat(cluster.replicas.get(name).view()).isEqualTo(1);
      assertThat(cluster.decided.get(name)).extracting(Decision::slot).containsExactly(0L);
    }
  }

  @Test
  void checkpointsBecomeStableAndMoveTheWindow() {
    Cluster cluster = new Cluster();
    for (int i = 0; i < 6; i++) {
      cluster.step("n1", new Input.SubmitRequest(request("r" + i)));
      cluster.tick(1);
    }
    cluster.tick(3);
    for (String name : NAMES) {
      assertThat(cluster.replicas.get(name).nextToExecute()).isEqualTo(6);
      assertThat(cluster.replicas.get(name).lowWatermark()).isEqualTo(6);
      assertThat(cluster.storage.get(name).stable().checkpoints()).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aReplicaCutOffCatchesUpByCheckedCertificates() {
    Cluster cluster = new Cluster();
    cluster.link = (from, to) -> !to.equals("n4");
    for (int i = 0; i < 9; i++) {
      cluster.step("n1", new Input.SubmitRequest(request("r" + i)));
      cluster.tick(1);
    }
    assertThat(cluster.replicas.get("n4").nextToExecute()).isZero();
    cluster.link = (from, to) -> true;
    cluster.tick(30);
    assertThat(cluster.decided.get("n4")).extracting(Decision::slot).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    // Its window moved with the stable checkpoint the others proved, so it takes part again.
    assertThat(cluster.replicas.get("n4").lowWatermark()).isEqualTo(cluster.replicas.get("n1").lowWatermark());
    cluster.link = (from, to) -> !from.equals("n2") && !to.equals("n2");
    cluster.step("n1", new Input.SubmitRequest(request("after")));
    cluster.tick(2);
    assertThat(cluster.decided.get("n4")).extracting(Decision::slot).contains(9L);
  }
}
