package dev.chil.node.core.paxos.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Verifier;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checker's own certificate check, written apart from the production {@code Certificates} and
 * {@code Quorum} so that a bug there cannot hide itself: distinct members whose weights add up to
 * more than half of the total, each with a signature on the one statement that names the slot
 * and the digest of what was decided.
 */
final class IndependentCertificates {
  private final String cluster;
  private final TreeMap<String, Integer> weights;
  private final long totalWeight;
  private final Verifier verifier;

  IndependentCertificates(String cluster, Map<String, Integer> weights, Verifier verifier) {
    this.cluster = cluster;
    this.weights = new TreeMap<>(weights);
    long total = 0;
    for (int weight : this.weights.values()) {
      total += weight;
    }
    this.totalWeight = total;
    this.verifier = verifier;
  }

  /** Empty when {@code certificate} proves that {@code slot} holds {@code digest}. */
  Optional<String> problem(long slot, ByteString digest, QuorumCertificate certificate) {
    VoteStatement statement = certificate.statement();
    if (statement.slot() != slot || !statement.digest().equals(digest)) {
      return Optional.of("slot " + slot + " carries a certificate for slot " + statement.slot() + " or another digest");
    }
    TreeSet<String> voters = new TreeSet<>();
    long weight = 0;
    for (Vote vote : certificate.votes()) {
      Integer voterWeight = weights.get(vote.signer());
      if (voterWeight == null) {
        return Optional.of("slot " + slot + " has a vote of non-member '" + vote.signer() + "'");
      }
      if (!voters.add(vote.signer())) {
        return Optional.of("slot " + slot + " counts '" + vote.signer() + "' twice");
      }
      weight += voterWeight;
      try {
        verifier.verify(Identity.node(cluster, vote.signer()), VoteStatement.MESSAGE_TYPE, statement.payload(),
            vote.signature().toByteArray());
      } catch (SignatureVerificationException e) {
        return Optional.of("slot " + slot + ": the vote of '" + vote.signer() + "' does not verify");
      }
    }
    if (2 * weight <= totalWeight) {
      return Optional.of("slot " + slot + " has votes of " + voters + ", weight " + weight + " of " + totalWeight
          + ": not a majority");
    }
    return Optional.empty();
  }
}
