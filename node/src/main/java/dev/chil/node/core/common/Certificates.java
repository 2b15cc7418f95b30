package dev.chil.node.core.common;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks that a quorum certificate proves "slot S holds digest D": the statement names them,
 * the voters are distinct roster members whose weight is a quorum, and every signature verifies
 * under {@link VoteStatement#MESSAGE_TYPE}. The same check the audit verifier makes offline.
 */
public final class Certificates {
  private Certificates() {}

  /** Empty when the certificate proves the slot's digest; otherwise what is wrong with it. */
  public static Optional<String> problem(
      QuorumCertificate certificate, long slot, ByteString digest, Quorum quorum, Verifier verifier) {
    VoteStatement statement = certificate.statement();
    if (statement.slot() != slot) {
      return Optional.of("certificate is for slot " + statement.slot() + ", not " + slot);
    }
    if (!statement.digest().equals(digest)) {
      return Optional.of("certificate of slot " + slot + " covers another digest");
    }
    Roster roster = quorum.roster();
    TreeSet<String> voters = new TreeSet<>();
    List<Vote> votes = new ArrayList<>(certificate.votes());
    for (Vote vote : votes) {
      if (!roster.contains(vote.signer())) {
        return Optional.of("certificate of slot " + slot + " has a vote of non-member '" + vote.signer() + "'");
      }
      if (!voters.add(vote.signer())) {
        return Optional.of("certificate of slot " + slot + " has two votes of '" + vote.signer() + "'");
      }
    }
    if (!quorum.reached(voters)) {
      return Optional.of("certificate of slot " + slot + " has votes of " + voters + ", not a quorum");
    }
    byte[] payload = statement.payload();
    for (Vote vote : votes) {
      try {
        verifier.verify(Identity.node(roster.cluster(), vote.signer()), VoteStatement.MESSAGE_TYPE,
            payload, vote.signature().toByteArray());
      } catch (SignatureVerificationException e) {
        return Optional.of("vote of '" + vote.signer() + "' on slot " + slot + " does not verify: " + e.getMessage());
      }
    }
    return Optional.empty();
  }
}
