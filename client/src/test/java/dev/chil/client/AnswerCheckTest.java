package dev.chil.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.CommandOutcome;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.MerkleTree;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.ReadStatement;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.proto.v1.InclusionProof;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.QuorumCertificate;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.ResultProof;
import dev.chil.proto.v1.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers as a correct node builds them verify; answers one node altered or made up alone, with
 * its own key, are refused with the reason. The cluster is a real 4-replica pbft roster (and a
 * 3-node paxos one) under a test CA.
 */
class AnswerCheckTest {
  private static final String CLUSTER = "test";
  private static final long SLOT = 9;
  private static final ByteString EPOCH = ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 2});
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Map<String, Credentials> NODES = new LinkedHashMap<>();
  private static Credentials intruder;
  private static AnswerCheck pbft;
  private static AnswerCheck paxos;

  private static final Command MINE = new Command("verdict/42", ByteString.copyFromUtf8("upheld"),
      "spiffe://test/client/alice", "req-7");
  private static final List<Command> SLOT_COMMANDS = List.of(
      new Command("verdict/41", ByteString.copyFromUtf8("dismissed"), "spiffe://test/client/bob", "req-1"),
      MINE,
      new Command("verdict/43", ByteString.copyFromUtf8("upheld"), "spiffe://test/client/carol", "req-2"));
  private static final int POSITION = 1;
  private static final List<CommandOutcome> OUTCOMES = List.of(
      CommandOutcome.applied(true, ByteString.copyFromUtf8("dismissed")),
      CommandOutcome.applied(true, ByteString.copyFromUtf8("upheld")),
      CommandOutcome.applied(false, ByteString.copyFromUtf8("earlier")));

  @BeforeAll
  static void roster() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    List<RosterMember> members = new ArrayList<>();
    for (String node : List.of("node-1", "node-2", "node-3", "node-4")) {
      Credentials credentials = ca.issue(Identity.node(CLUSTER, node), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
      NODES.put(node, credentials);
      members.add(new RosterMember(node, credentials.certificate(), 1));
    }
    intruder = ca.issue(Identity.node(CLUSTER, "node-5"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    pbft = new AnswerCheck(CertificateCheck.forRoster(new Genesis(CLUSTER, Protocol.PBFT, 0, members)));
    paxos = new AnswerCheck(CertificateCheck.forRoster(new Genesis(CLUSTER, Protocol.PAXOS, 0, members.subList(0, 3))));
  }

  private static Vote vote(String node, String messageType, byte[] payload) {
    Credentials signer = node.equals("node-5") ? intruder : NODES.get(node);
    return Vote.newBuilder().setSigner(node).setSignature(ByteString.copyFrom(signer.signer().sign(messageType, payload))).build();
  }

  private static ByteString digest() {
    return SlotDigest.of(SLOT_COMMANDS);
  }

  private static QuorumCertificate certificate(List<String> signers) {
    VoteStatement statement = new VoteStatement(SLOT, EPOCH, digest());
    QuorumCertificate.Builder certificate = QuorumCertificate.newBuilder().setSlot(SLOT).setEpoch(EPOCH).setDigest(digest());
    signers.forEach(node -> certificate.addVotes(vote(node, VoteStatement.MESSAGE_TYPE, statement.payload())));
    return certificate.build();
  }

  private static InclusionProof inclusion() {
    return InclusionProof.newBuilder().setIndex(POSITION).setCount(SLOT_COMMANDS.size())
        .addAllPath(MerkleTree.path(SlotDigest.leafHashes(SLOT_COMMANDS), POSITION)).build();
  }

  private static ResultProof result(List<String> signers) {
    List<ByteString> leaves = OUTCOMES.stream().map(CommandOutcome::leafHash).toList();
    ResultStatement statement = ResultStatement.of(SLOT, digest(), OUTCOMES);
    ResultProof.Builder proof = ResultProof.newBuilder().setResultsRoot(statement.resultsRoot())
        .addAllPath(MerkleTree.path(leaves, POSITION));
    signers.forEach(node -> proof.addVotes(vote(node, ResultStatement.MESSAGE_TYPE, statement.payload())));
    return proof.build();
  }

  /** The answer a correct pbft node gives. */
  private static ProposeResponse.Builder honest() {
    return ProposeResponse.newBuilder().setSuccess(true).setValue(MINE.value()).setSlot(SLOT).setAuditIndex(20)
        .setCertificate(certificate(List.of("node-1", "node-2", "node-3")))
        .setInclusion(inclusion())
        .setResult(result(List.of("node-2", "node-4")));
  }

  @Test
  void aCorrectNodesAnswerVerifiesInBothProtocols() throws Exception {
    pbft.checkProposal(MINE, honest().build());
    paxos.checkProposal(MINE, honest().clearResult().setCertificate(certificate(List.of("node-1", "node-3"))).build());
  }

  @Test
  void aValueOrSuccessTheReplicasDidNotSignIsRefused() {
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setSuccess(false).build()))
        .isInstanceOf(UnverifiedAnswerException.class).hasMessageContaining("not the command's result");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setSuccess(false).setValue(ByteString.copyFromUtf8("x")).build()))
        .hasMessageContaining("not the command's result");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setValue(ByteString.copyFromUtf8("overruled")).build()))
        .hasMessageContaining("took effect, but with another value");
  }

  @Test
  void resultsVouchedForByOneNodeAloneAreRefused() {
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setResult(result(List.of("node-1"))).build()))
        .isInstanceOf(UnverifiedAnswerException.class).hasMessageContaining("1 distinct replicas signed, 2 are needed");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setResult(result(List.of("node-1", "node-1"))).build()))
        .hasMessageContaining("node-1 is counted twice");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setResult(result(List.of("node-1", "node-5"))).build()))
        .hasMessageContaining("'node-5', who is not in the roster");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().clearResult().build()))
        .hasMessageContaining("no replicas' votes on its result");
  }

  @Test
  void aVoteWhoseSignatureIsAnotherNodesIsRefused() {
    ResultProof forged = result(List.of("node-1", "node-2")).toBuilder()
        .setVotes(1, vote("node-1", ResultStatement.MESSAGE_TYPE, ResultStatement.of(SLOT, digest(), OUTCOMES).payload())
            .toBuilder().setSigner("node-2")).build();
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setResult(forged).build()))
        .hasMessageContaining("the signature of node-2 does not verify");
  }

  @Test
  void aDecisionCertifiedByFewerThanAQuorumIsRefused() {
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setCertificate(certificate(List.of("node-1", "node-2"))).build()))
        .isInstanceOf(UnverifiedAnswerException.class).hasMessageContaining("does not prove this command");
    assertThatThrownBy(() -> paxos.checkProposal(MINE, honest().clearResult().setCertificate(certificate(List.of("node-1"))).build()))
        .hasMessageContaining("does not prove this command");
  }

  @Test
  void aCommandThatIsNotInTheCertifiedSlotIsRefused() {
    Command altered = new Command(MINE.key(), ByteString.copyFromUtf8("overruled"), MINE.client(), MINE.requestId());
    assertThatThrownBy(() -> pbft.checkProposal(altered, honest().setValue(altered.value()).build()))
        .hasMessageContaining("does not prove this command");
    Command someoneElses = new Command(MINE.key(), MINE.value(), "spiffe://test/client/mallory", MINE.requestId());
    assertThatThrownBy(() -> pbft.checkProposal(someoneElses, honest().build())).hasMessageContaining("does not prove");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setInclusion(inclusion().toBuilder().setIndex(0)).build()))
        .hasMessageContaining("does not prove");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setInclusion(inclusion().toBuilder().setCount(4)).build()))
        .isInstanceOf(UnverifiedAnswerException.class);
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().setInclusion(inclusion().toBuilder().setIndex(5)).build()))
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> pbft.checkProposal(MINE, honest().clearInclusion().build()))
        .hasMessageContaining("no inclusion proof");
  }

  private static ReadResponse read(boolean found, String value, long slot, List<String> signers) {
    ReadStatement statement = ReadStatement.of(MINE.key(), found, ByteString.copyFromUtf8(value), slot);
    ReadResponse.Builder read = ReadResponse.newBuilder().setFound(found).setValue(ByteString.copyFromUtf8(value)).setSlot(slot);
    signers.forEach(node -> read.addVotes(vote(node, ReadStatement.MESSAGE_TYPE, statement.payload())));
    return read.build();
  }

  @Test
  void aPbftReadNeeds2fPlus1MatchingSignedAnswers() throws Exception {
    pbft.checkRead(MINE.key(), read(true, "upheld", SLOT, List.of("node-1", "node-3", "node-4")));
    pbft.checkRead(MINE.key(), read(false, "", 0, List.of("node-1", "node-2", "node-4")));
    assertThatThrownBy(() -> pbft.checkRead(MINE.key(), read(true, "upheld", SLOT, List.of("node-1", "node-3"))))
        .hasMessageContaining("2 distinct replicas signed, 3 are needed");
    ReadResponse altered = read(true, "upheld", SLOT, List.of("node-1", "node-3", "node-4")).toBuilder()
        .setValue(ByteString.copyFromUtf8("overruled")).build();
    assertThatThrownBy(() -> pbft.checkRead(MINE.key(), altered)).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> pbft.checkRead("verdict/other", read(true, "upheld", SLOT, List.of("node-1", "node-3", "node-4"))))
        .hasMessageContaining("does not verify");
  }
}
