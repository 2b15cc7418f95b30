package dev.chil.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Credentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateCheckTest {
  private static TestCluster paxos;
  private static TestCluster pbft;
  private static final List<Command> COMMANDS = TestCluster.commands(9, 3);

  @BeforeAll
  static void makeClusters() throws Exception {
    paxos = TestCluster.paxos(3);
    pbft = TestCluster.pbft(7);
  }

  private static QuorumCertificate certificate(TestCluster cluster, long slot, String... signers) {
    VoteStatement statement = new VoteStatement(slot, TestCluster.EPOCH, SlotDigest.of(COMMANDS));
    List<Vote> votes = new ArrayList<>();
    for (String signer : signers) {
      votes.add(TestCluster.vote(cluster.node(signer), statement));
    }
    return new QuorumCertificate(statement, votes);
  }

  private static void assertProblem(TestCluster cluster, QuorumCertificate certificate, Problem problem, String words)
      throws Exception {
    CertificateCheck check = CertificateCheck.forRoster(cluster.genesis);
    assertThatThrownBy(() -> check.check(9, COMMANDS, certificate))
        .isInstanceOfSatisfying(InvalidCertificateException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(words);
  }

  @Test
  void aMajorityProvesAPaxosSlot() throws Exception {
    assertThatCode(() -> CertificateCheck.forRoster(paxos.genesis).check(9, COMMANDS,
        certificate(paxos, 9, "node-1", "node-3"))).doesNotThrowAnyException();
  }

  @Test
  void halfTheWeightIsNotAMajority() throws Exception {
    TestCluster heavy = TestCluster.paxos(3);
    Genesis weighted = new Genesis("prod", Protocol.PAXOS, 1, List.of(
        new RosterMember("node-1", heavy.node("node-1").certificate(), 2),
        new RosterMember("node-2", heavy.node("node-2").certificate(), 1),
        new RosterMember("node-3", heavy.node("node-3").certificate(), 1)));
    CertificateCheck check = CertificateCheck.forRoster(weighted);
    assertThatThrownBy(() -> check.check(9, COMMANDS, certificate(heavy, 9, "node-1")))
        .hasMessageContaining("weight 2 of 4");
    assertThatThrownBy(() -> check.check(9, COMMANDS, certificate(heavy, 9, "node-2", "node-3")))
        .hasMessageContaining("weight 2 of 4");
    assertThatCode(() -> check.check(9, COMMANDS, certificate(heavy, 9, "node-1", "node-3")))
        .doesNotThrowAnyException();
  }

  @Test
  void pbftNeedsTwoFPlusOneOfSeven() throws Exception {
    assertProblem(pbft, certificate(pbft, 9, "node-1", "node-2", "node-3", "node-4"), Problem.QUORUM_NOT_REACHED,
        "4 distinct signers of 7; pbft needs 5");
    assertThatCode(() -> CertificateCheck.forRoster(pbft.genesis).check(9, COMMANDS,
        certificate(pbft, 9, "node-1", "node-2", "node-4", "node-6", "node-7"))).doesNotThrowAnyException();
  }

  @Test
  void aDuplicateSignerIsNeverCounted() throws Exception {
    QuorumCertificate once = certificate(pbft, 9, "node-1", "node-2", "node-3", "node-4");
    List<Vote> votes = new ArrayList<>(once.votes());
    votes.add(once.votes().get(0));
    assertProblem(pbft, new QuorumCertificate(once.statement(), votes), Problem.DUPLICATE_SIGNER,
        "counts the vote of node-1 more than once");
  }

  @Test
  void aSignerOutsideTheRosterFailsTheCertificate() throws Exception {
    Credentials outsider = paxos.issue("node-4");
    QuorumCertificate good = certificate(paxos, 9, "node-1", "node-2");
    List<Vote> votes = new ArrayList<>(good.votes());
    votes.add(TestCluster.vote(outsider, good.statement()));
    assertProblem(paxos, new QuorumCertificate(good.statement(), votes), Problem.SIGNER_NOT_IN_ROSTER,
        "'node-4', who is not in the roster");
  }

  @Test
  void aVoteForAnotherSlotDoesNotVerify() throws Exception {
    QuorumCertificate other = certificate(paxos, 8, "node-1", "node-2");
    VoteStatement claimed = new VoteStatement(9, other.statement().epoch(), other.statement().digest());
    assertProblem(paxos, new QuorumCertificate(claimed, other.votes()), Problem.CERTIFICATE_SIGNATURE_INVALID,
        "does not verify");
    assertProblem(paxos, other, Problem.SLOT_MISMATCH, "for slot 8, not slot 9");
  }

  @Test
  void aVoteInAnotherEpochDoesNotVerify() throws Exception {
    QuorumCertificate good = certificate(paxos, 9, "node-1", "node-2");
    VoteStatement later = new VoteStatement(9, ByteString.copyFromUtf8("ballot-2"), good.statement().digest());
    assertProblem(paxos, new QuorumCertificate(later, good.votes()), Problem.CERTIFICATE_SIGNATURE_INVALID,
        "node-1");
  }

  @Test
  void otherCommandsDoNotMatchTheDigest() throws Exception {
    CertificateCheck check = CertificateCheck.forRoster(paxos.genesis);
    assertThatThrownBy(() -> check.check(9, TestCluster.commands(9, 2), certificate(paxos, 9, "node-1", "node-2")))
        .isInstanceOfSatisfying(InvalidCertificateException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.CERTIFICATE_DIGEST_MISMATCH));
  }
}
