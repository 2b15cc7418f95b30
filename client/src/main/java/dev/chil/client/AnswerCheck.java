package dev.chil.client;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.CommandOutcome;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.InvalidCertificateException;
import dev.chil.audit.chain.MerkleTree;
import dev.chil.audit.chain.Protocol;
import dev.chil.audit.chain.Quorum;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.ReadStatement;
import dev.chil.audit.chain.ResultStatement;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.proto.v1.InclusionProof;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an answer against a roster an admin signed (itself checked against the CA), so that no
 * single node's word is taken:
 *
 * <ul>
 *   <li>a proposal's answer: its slot's quorum certificate verifies, and the command the client
 *       sent is the leaf its inclusion proof places in the certified slot; in pbft also, f+1
 *       distinct replicas signed the slot's results, and the answered success and value are the
 *       command's leaf in those results;
 *   <li>a read's answer (pbft): 2f+1 distinct replicas signed exactly this answer.
 * </ul>
 *
 * A paxos read is the leader's word: crash-tolerant nodes do not lie, so it carries no proof.
 * Pure apart from signature checks, and immutable.
 */
public final class AnswerCheck {
  private final CertificateCheck roster;

  public AnswerCheck(CertificateCheck roster) {
    this.roster = roster;
  }

  public Genesis genesis() {
    return roster.genesis();
  }

  /**
   * @param sent the command as the client sent it (its own identity as the client)
   * @throws UnverifiedAnswerException naming the first problem
   */
  public void checkProposal(Command sent, ProposeResponse answer) throws UnverifiedAnswerException {
    if (!answer.hasCertificate() || !answer.hasInclusion()) {
      throw new UnverifiedAnswerException("the answer carries no " + (answer.hasCertificate() ? "inclusion proof"
          : "certificate") + ": the node that answered did not prove the decision");
    }
    InclusionProof inclusion = answer.getInclusion();
    ByteString commandsRoot = rootFrom(SlotDigest.leafHash(sent), inclusion.getIndex(), inclusion.getCount(),
        inclusion.getPathList(), "the command's inclusion proof");
    ByteString slotDigest = SlotDigest.ofRoot(inclusion.getCount(), commandsRoot);
    QuorumCertificate certificate = toCertificate(answer.getCertificate());
    try {
      roster.check(answer.getSlot(), slotDigest, certificate);
    } catch (InvalidCertificateException e) {
      throw new UnverifiedAnswerException("the decision's certificate does not prove this command in slot "
          + answer.getSlot() + ": " + e.getMessage());
    }
    if (answer.getSuccess() && !answer.getValue().equals(sent.value())) {
      throw new UnverifiedAnswerException("the answer says the proposal took effect, but with another value");
    }
    if (genesis().protocol() == Protocol.PBFT) {
      checkResult(answer, slotDigest);
    }
  }

  private void checkResult(ProposeResponse answer, ByteString slotDigest) throws UnverifiedAnswerException {
    if (!answer.hasResult()) {
      throw new UnverifiedAnswerException("the answer carries no replicas' votes on its result: in pbft one node's"
          + " word about success and value is not enough");
    }
    InclusionProof inclusion = answer.getInclusion();
    ByteString leaf = CommandOutcome.applied(answer.getSuccess(), answer.getValue()).leafHash();
    ByteString resultsRoot = rootFrom(leaf, inclusion.getIndex(), inclusion.getCount(), answer.getResult().getPathList(),
        "the result's proof");
    if (!resultsRoot.equals(answer.getResult().getResultsRoot())) {
      throw new UnverifiedAnswerException("the answered success and value are not the command's result among the"
          + " results the replicas signed");
    }
    ResultStatement statement = new ResultStatement(answer.getSlot(), slotDigest, resultsRoot);
    int f = (genesis().roster().size() - 1) / 3;
    requireVotes(answer.getResult().getVotesList(), ResultStatement.MESSAGE_TYPE, statement.payload(), f + 1,
        "result votes on slot " + answer.getSlot());
  }

  /** @throws UnverifiedAnswerException naming the first problem */
  public void checkRead(String key, ReadResponse answer) throws UnverifiedAnswerException {
    if (genesis().protocol() != Protocol.PBFT) {
      return;
    }
    ReadStatement statement = ReadStatement.of(key, answer.getFound(), answer.getValue(), answer.getSlot());
    requireVotes(answer.getVotesList(), ReadStatement.MESSAGE_TYPE, statement.payload(),
        Quorum.pbftQuorum(genesis().roster().size()), "signed answers to the read of " + key);
  }

  private ByteString rootFrom(ByteString leaf, long index, long count, List<ByteString> path, String what)
      throws UnverifiedAnswerException {
    Optional<ByteString> root = MerkleTree.rootFromPath(leaf, index, count, path);
    if (root.isEmpty()) {
      throw new UnverifiedAnswerException(what + " is malformed: leaf " + index + " of " + count + " with a path of "
          + path.size() + " hashes");
    }
    return root.get();
  }

  /** At least {@code needed} votes, by distinct roster members, each verifying; any bad vote fails the answer. */
  private void requireVotes(List<dev.chil.proto.v1.Vote> votes, String messageType, byte[] payload, int needed,
      String what) throws UnverifiedAnswerException {
    Set<String> signers = new HashSet<>();
    for (dev.chil.proto.v1.Vote vote : votes) {
      if (genesis().member(vote.getSigner()) == null) {
        throw new UnverifiedAnswerException(what + ": a vote by '" + vote.getSigner() + "', who is not in the roster");
      }
      if (!signers.add(vote.getSigner())) {
        throw new UnverifiedAnswerException(what + ": " + vote.getSigner() + " is counted twice");
      }
      try {
        roster.verifier().verify(Identity.node(genesis().cluster(), vote.getSigner()), messageType, payload,
            vote.getSignature().toByteArray());
      } catch (SignatureVerificationException | IllegalArgumentException e) {
        throw new UnverifiedAnswerException(what + ": the signature of " + vote.getSigner()
            + " does not verify over this answer");
      }
    }
    if (signers.size() < needed) {
      throw new UnverifiedAnswerException(what + ": " + signers.size() + " distinct replicas signed, " + needed
          + " are needed");
    }
  }

  private static QuorumCertificate toCertificate(dev.chil.proto.v1.QuorumCertificate proto)
      throws UnverifiedAnswerException {
    try {
      return new QuorumCertificate(new VoteStatement(proto.getSlot(), proto.getEpoch(), proto.getDigest()),
          proto.getVotesList().stream().map(vote -> new Vote(vote.getSigner(), vote.getSignature())).toList());
    } catch (IllegalArgumentException e) {
      throw new UnverifiedAnswerException("the certificate is malformed: " + e.getMessage());
    }
  }
}
