package dev.chil.node.core.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.node.core.common.ClientReply;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Durable;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.Roster;
import dev.chil.node.core.paxos.sim.HmacCrypto;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaxosReplicaTest {
  private static final List<String> THREE = List.of("n1", "n2", "n3");
  private final HmacCrypto crypto = new HmacCrypto("c", THREE, 1);
  private final Roster roster = Roster.equal("c", THREE);
  private final Command command = new Command("k", ByteString.copyFromUtf8("v"), "client", "r1");

  private PaxosReplica replica(String name, Roster members, PaxosStorageState stored) {
    PaxosConfig config = PaxosConfig.defaults(name, members, 42).withTiming(10, 10, 3, 6);
    return new PaxosReplica(config, crypto.signer(name), crypto.verifier(), stored);
  }

  private PaxosReplica follower() {
    return replica("n2", roster, new PaxosStorageState());
  }

  @Test
  void aSingleNodeLeadsAndDecidesWithACertificateTheAuditLogCanCheck() throws Exception {
    Roster alone = Roster.equal("c", List.of("n1"));
    PaxosReplica replica = replica("n1", alone, new PaxosStorageState());
    for (int i = 0; i < 30 && !replica.isLeader(); i++) {
      replica.step(new Input.Tick());
    }
    assertThat(replica.isLeader()).isTrue();

    Output output = replica.step(new Input.Submit(command));

    assertThat(output.decisions()).hasSize(1);
    Decision decision = output.decisions().get(0);
    assertThat(decision.slot()).isZero();
    assertThat(decision.commands()).containsExactly(command);
    assertThat(decision.toApply()).containsExactly(command);
    assertThat(output.persist()).anyMatch(PaxosDurable.AcceptedValue.class::isInstance);
    assertThat(output.persist().get(output.persist().size() - 1)).isEqualTo(new PaxosDurable.Delivered(decision));
    assertThat(output.replies()).containsExactly(new ClientReply.Committed(command, 0));
    QuorumCertificate certificate = decision.certificate();
    VoteStatement expected = new VoteStatement(0, replica.ballot().toBytes(), SlotDigest.of(List.of(command)));
    assertThat(certificate.statement()).isEqualTo(expected);
    Vote vote = certificate.votes().get(0);
    crypto.verifier().verify(Identity.node("c", vote.signer()), VoteStatement.MESSAGE_TYPE, expected.payload(),
        vote.signature().toByteArray());
  }

  @Test
  void acceptsPersistsThePromiseAndValueAndSendsASignedVote() throws Exception {
    PaxosReplica replica = follower();
    Ballot ballot = new Ballot(1, "n1");

    Output output = replica.step(new Input.Receive("n1", new PaxosMessage.Accept(ballot, 0, List.of(command))));

    assertThat(output.persist()).containsExactly(new PaxosDurable.Promised(ballot),
        new PaxosDurable.AcceptedValue(new AcceptedEntry(0, ballot, List.of(command))));
    assertThat(output.messages()).hasSize(1);
    PaxosMessage.Accepted accepted = (PaxosMessage.Accepted) output.messages().get(0).message();
    assertThat(output.messages().get(0).to()).isEqualTo("n1");
    VoteStatement statement = new VoteStatement(0, ballot.toBytes(), SlotDigest.of(List.of(command)));
    crypto.verifier().verify(Identity.node("c", "n2"), VoteStatement.MESSAGE_TYPE, statement.payload(),
        accepted.signature().toByteArray());
  }

  @Test
  void answersAStaleBallotWithANackAndPersistsNothing() {
    PaxosReplica replica = follower();
    replica.step(new Input.Receive("n3", new PaxosMessage.Prepare(new Ballot(2, "n3"), 0)));

    Output output = replica.step(new Input.Receive("n1", new PaxosMessage.Accept(new Ballot(1, "n1"), 0, List.of(command))));

    assertThat(output.persist()).isEmpty();
    assertThat(output.messages()).hasSize(1);
    assertThat(output.messages().get(0).message())
        .isEqualTo(new PaxosMessage.Nack(new Ballot(1, "n1"), new Ballot(2, "n3")));
    assertThat(replica.staleInputs()).isEqualTo(1);
  }

  @Test
  void dropsInvalidInputAndCountsIt() {
    PaxosReplica replica = follower();
    PaxosMessage.Accept accept = new PaxosMessage.Accept(new Ballot(1, "n3"), 0, List.of(command));

    assertThat(replica.step(new Input.Receive("stranger", accept)).isEmpty()).isTrue();
    assertThat(replica.step(new Input.Receive("n1", accept)).isEmpty()).isTrue(); // n1 cannot speak for n3's ballot
    assertThat(replica.step(new Input.Receive("n2", accept)).isEmpty()).isTrue(); // nobody is us
    assertThat(replica.invalidInputs()).isEqualTo(3);
    assertThat(replica.promised()).isEqualTo(Ballot.ZERO);
  }

  @Test
  void learnsADecisionOnlyWithACertificateThatVerifies() {
    PaxosReplica replica = follower();
    Ballot ballot = new Ballot(1, "n1");
    VoteStatement statement = new VoteStatement(0, ballot.toBytes(), SlotDigest.of(List.of(command)));
    Vote n1 = new Vote("n1", ByteString.copyFrom(crypto.signer("n1").sign(VoteStatement.MESSAGE_TYPE, statement.payload())));
    Vote n3 = new Vote("n3", ByteString.copyFrom(crypto.signer("n3").sign(VoteStatement.MESSAGE_TYPE, statement.payload())));
    Vote forgedN3 = new Vote("n3", n1.signature());

    Output forged = replica.step(new Input.Receive("n1",
        new PaxosMessage.Decide(0, List.of(command), new QuorumCertificate(statement, List.of(n1, forgedN3)))));
    assertThat(forged.decisions()).isEmpty();
    assertThat(replica.invalidInputs()).isEqualTo(1);

    Output valid = replica.step(new Input.Receive("n1",
        new PaxosMessage.Decide(0, List.of(command), new QuorumCertificate(statement, List.of(n1, n3)))));
    assertThat(valid.decisions()).extracting(Decision::slot).containsExactly(0L);
    assertThat(replica.nextToDeliver()).isEqualTo(1);
  }

  @Test
  void catchesUpFromTheLeaderAndTakesOnlyCertifiedSlots() {
    PaxosReplica replica = follower();
    Output behind = replica.step(new Input.Receive("n1", new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 2)));
    assertThat(behind.messages()).extracting(envelope -> envelope.message())
        .containsExactly(new PaxosMessage.CatchUpRequest(0));

    PaxosMessage.Decide slot0 = decide(0, new Ballot(1, "n1"), "n1", "n3");
    PaxosMessage.Decide slot1 = decide(1, new Ballot(1, "n1"), "n1", "n1"); // one voter counted twice
    Output output = replica.step(new Input.Receive("n1", new PaxosMessage.CatchUpReply(List.of(slot0, slot1))));

    assertThat(output.decisions()).extracting(Decision::slot).containsExactly(0L);
    assertThat(replica.invalidInputs()).isEqualTo(1);
    assertThat(replica.nextToDeliver()).isEqualTo(1);
  }

  @Test
  void servesSlotsPrunedFromMemoryFromTheAuditLogAndRecentOnesAtOnce() {
    PaxosStorageState stored = new PaxosStorageState();
    for (long slot = 0; slot < 10; slot++) {
      PaxosMessage.Decide decided = decide(slot, new Ballot(1, "n1"), "n1", "n2");
      stored.apply(new PaxosDurable.Delivered(new Decision(slot, decided.commands(), decided.certificate(),
          decided.commands())));
    }
    PaxosConfig config = PaxosConfig.defaults("n2", roster, 42).withTiming(10, 10, 3, 6).withMemory(4, 3, 100);
    PaxosReplica replica = new PaxosReplica(config, crypto.signer("n2"), crypto.verifier(), stored);

    Output old = replica.step(new Input.Receive("n3", new PaxosMessage.CatchUpRequest(1)));
    Output recent = replica.step(new Input.Receive("n3", new PaxosMessage.CatchUpRequest(7)));

    // Slots 6-9 are in memory; below that only the audit log has them, 3 per reply at most.
    assertThat(old.messages()).containsExactly(new Envelope("n3", new CatchUpFromAudit(1, 3)));
    assertThat(recent.messages()).singleElement().satisfies(envelope -> assertThat(
        ((PaxosMessage.CatchUpReply) envelope.message()).decisions()).extracting(PaxosMessage.Decide::slot)
        .containsExactly(7L, 8L, 9L));
    assertThat(replica.step(new Input.Receive("n3", new PaxosMessage.CatchUpRequest(5))).messages())
        .containsExactly(new Envelope("n3", new CatchUpFromAudit(5, 1)));
  }

  @Test
  void aReplicaFarBehindReportsItselfLaggingUntilItHasCaughtUp() {
    PaxosReplica replica = follower();
    replica.step(new Input.Receive("n1", new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 2)));
    assertThat(replica.slotsBehind()).isEqualTo(2);
    assertThat(replica.isLagging()).isFalse(); // no further behind than a leader keeps in flight

    replica.step(new Input.Receive("n1", new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 40)));
    assertThat(replica.slotsBehind()).isEqualTo(40);
    assertThat(replica.isLagging()).isTrue();

    List<PaxosMessage.Decide> slots = new java.util.ArrayList<>();
    for (long slot = 0; slot < 40; slot++) {
      slots.add(decide(slot, new Ballot(1, "n1"), "n1", "n3"));
    }
    replica.step(new Input.Receive("n1", new PaxosMessage.CatchUpReply(slots)));
    assertThat(replica.nextToDeliver()).isEqualTo(40);
    assertThat(replica.slotsBehind()).isZero();
    assertThat(replica.isLagging()).isFalse();
  }

  private PaxosMessage.Decide decide(long slot, Ballot ballot, String... voters) {
    Command slotCommand = new Command("k", ByteString.copyFromUtf8("v" + slot), "client", "r" + slot);
    VoteStatement statement = new VoteStatement(slot, ballot.toBytes(), SlotDigest.of(List.of(slotCommand)));
    List<Vote> votes = new java.util.ArrayList<>();
    for (String voter : voters) {
      votes.add(new Vote(voter, ByteString.copyFrom(crypto.signer(voter).sign(VoteStatement.MESSAGE_TYPE, statement.payload()))));
    }
    return new PaxosMessage.Decide(slot, List.of(slotCommand), new QuorumCertificate(statement, votes));
  }

  @Test
  void aRestartedReplicaKeepsItsPromiseAndItsPlaceInTheLog() {
    PaxosReplica replica = follower();
    PaxosStorageState stored = new PaxosStorageState();
    Ballot ballot = new Ballot(3, "n3");
    for (Durable record : replica.step(new Input.Receive("n3", new PaxosMessage.Prepare(ballot, 0))).persist()) {
      stored.apply((PaxosDurable) record);
    }

    PaxosReplica restarted = replica("n2", roster, stored.copy());

    assertThat(restarted.promised()).isEqualTo(ballot);
    Output output = restarted.step(new Input.Receive("n1", new PaxosMessage.Prepare(new Ballot(2, "n1"), 0)));
    assertThat(output.messages().get(0).message()).isInstanceOf(PaxosMessage.Nack.class);
  }

  @Test
  void aFollowerRedirectsClientsToTheLeaderItKnows() {
    PaxosReplica replica = follower();
    replica.step(new Input.Receive("n1", new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 0)));

    Output output = replica.step(new Input.Submit(command));

    assertThat(output.replies()).containsExactly(new ClientReply.Redirect(command, "n1"));
  }

  @Test
  void standsForElectionSoonAfterTheFailureDetectorSuspectsTheLeader() {
    PaxosReplica replica = follower();
    replica.step(new Input.Receive("n1", new PaxosMessage.Heartbeat(new Ballot(1, "n1"), 0)));
    replica.step(new Input.Suspect("n1"));

    // The election timeout is 10 ticks; a suspicion cuts the wait to the backoff (at most 10) + 1.
    int ticks = 0;
    while (!replica.isCandidate() && ticks < 12) {
      replica.step(new Input.Tick());
      ticks++;
    }
    assertThat(replica.isCandidate()).isTrue();
    assertThat(replica.ballot()).isEqualTo(new Ballot(2, "n2"));
  }

  @Test
  void aLeaderStepsDownWhenItHearsOfAHigherBallot() {
    PaxosReplica replica = replica("n1", roster, new PaxosStorageState());
    while (!replica.isCandidate()) {
      replica.step(new Input.Tick());
    }
    Ballot ballot = replica.ballot();
    replica.step(new Input.Receive("n2", new PaxosMessage.Promise(ballot, 0, List.of())));
    assertThat(replica.isLeader()).isTrue();
    replica.step(new Input.Submit(command));

    Output output = replica.step(new Input.Receive("n3",
        new PaxosMessage.Nack(ballot, new Ballot(ballot.round() + 1, "n3"))));

    assertThat(replica.isLeader()).isFalse();
    assertThat(output.replies()).containsExactly(new ClientReply.Redirect(command, "n3"));
  }

  @Test
  void configErrorsAreListedTogether() {
    assertThatThrownBy(() -> PaxosConfig.defaults("nobody", roster, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("self 'nobody' is not in the roster");
    assertThatThrownBy(() -> PaxosConfig.defaults("n1", roster, 1).withTiming(2, 0, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("electionBackoffTicksMax")
        .hasMessageContaining("retransmitTicks")
        .hasMessageContaining("heartbeatIntervalTicks must be below electionTimeoutTicks");
  }
}
