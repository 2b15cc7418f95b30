package dev.chil.audit.chain;

import java.util.List;
import java.util.Objects;

/**
 * The proof that a slot was decided: the statement and the votes of distinct roster members
 * whose weight reaches the protocol's quorum. The audit log's verifier and the protocols check it against the roster.
 */
public record QuorumCertificate(VoteStatement statement, List<Vote> votes) {
  public QuorumCertificate {
    Objects.requireNonNull(statement, "statement");
    votes = List.copyOf(votes);
  }
}
