package dev.chil.node.core.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Signer;
import dev.chil.node.core.paxos.sim.HmacCrypto;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificatesTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private final HmacCrypto crypto = new HmacCrypto("c", NODES, 1);
  private final Quorum quorum = new Quorum(Roster.equal("c", NODES), QuorumRule.MAJORITY);
  private final ByteString digest = SlotDigest.of(List.of());
  private final VoteStatement statement = new VoteStatement(5, ByteString.copyFromUtf8("epoch"), digest);

  private Vote vote(String name, Signer signer, String messageType) {
    return new Vote(name, ByteString.copyFrom(signer.sign(messageType, statement.payload())));
  }

  private Vote vote(String name) {
    return vote(name, crypto.signer(name), VoteStatement.MESSAGE_TYPE);
  }

  @Test
  void acceptsAMajorityOfValidVotes() {
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1"), vote("n3")));
    assertThat(Certificates.problem(certificate, 5, digest, quorum, crypto.verifier())).isEmpty();
  }

  @Test
  void rejectsTooFewVotes() {
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1")));
    assertThat(Certificates.problem(certificate, 5, digest, quorum, crypto.verifier())).get().asString()
        .contains("not a quorum");
  }

  @Test
  void rejectsAVoteCountedTwice() {
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1"), vote("n1")));
    assertThat(Certificates.problem(certificate, 5, digest, quorum, crypto.verifier())).get().asString()
        .contains("two votes");
  }

  @Test
  void rejectsAVoteSignedByAnotherNode() {
    Vote forged = vote("n2", crypto.signer("n1"), VoteStatement.MESSAGE_TYPE);
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1"), forged));
    assertThat(Certificates.problem(certificate, 5, digest, quorum, crypto.verifier())).get().asString()
        .contains("does not verify");
  }

  @Test
  void rejectsASignatureMadeForAnotherMessageType() {
    Vote other = vote("n2", crypto.signer("n2"), "chil.something.else");
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1"), other));
    assertThat(Certificates.problem(certificate, 5, digest, quorum, crypto.verifier())).isPresent();
  }

  @Test
  void rejectsNonMembersAndOtherSlotsAndDigests() {
    QuorumCertificate certificate = new QuorumCertificate(statement, List.of(vote("n1"), vote("n2")));
    assertThat(Certificates.problem(certificate, 6, digest, quorum, crypto.verifier())).isPresent();
    ByteString other = SlotDigest.of(List.of(new dev.chil.audit.chain.Command("k", ByteString.EMPTY, "c", "r")));
    assertThat(Certificates.problem(certificate, 5, other, quorum, crypto.verifier())).isPresent();
    QuorumCertificate stranger = new QuorumCertificate(statement, List.of(vote("n1"), new Vote("x", ByteString.EMPTY)));
    assertThat(Certificates.problem(stranger, 5, digest, quorum, crypto.verifier())).get().asString()
        .contains("non-member");
  }
}
