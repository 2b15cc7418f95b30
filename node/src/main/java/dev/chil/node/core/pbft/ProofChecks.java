package dev.chil.node.core.pbft;

import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Quorum;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks of what one replica shows another: signatures, checkpoint proofs, prepared certificates
 * and ViewChanges. Each answers with what is wrong, or empty; nothing is trusted unchecked.
 */
final class ProofChecks {
  private final PbftConfig config;
  private final Quorum quorum;
  private final Verifier verifier;
  private final TreeMap<String, Identity> identities = new TreeMap<>();

  ProofChecks(PbftConfig config, Quorum quorum, Verifier verifier) {
    this.config = config;
    this.quorum = quorum;
    this.verifier = verifier;
    for (String member : config.roster().names()) {
      identities.put(member, Identity.node(config.roster().cluster(), member));
    }
  }

  Verifier verifier() {
    return verifier;
  }

  boolean verifies(PbftMessage.Signed message) {
    Identity signer = identities.get(message.replica());
    if (signer == null) {
      return false;
    }
    try {
      verifier.verify(signer, message.messageType(),
          message.payload(), message.signature().toByteArray());
      return true;
    } catch (SignatureVerificationException | IllegalArgumentException e) {
      return false;
    }
  }

  Optional<String> checkpointProblem(CheckpointProof proof) {
    if (proof.sequence() == 0) {
      return proof.stateDigest().equals(StateDigest.GENESIS) ? Optional.empty()
          : Optional.of("checkpoint 0 is not the initial state");
    }
    if (proof.sequence() % config.checkpointInterval() != 0) {
      return Optional.of("checkpoint " + proof.sequence() + " is not a multiple of " + config.checkpointInterval());
    }
    TreeSet<String> signers = new TreeSet<>();
    for (PbftMessage.Checkpoint checkpoint : proof.checkpoints()) {
      if (checkpoint.sequence() != proof.sequence() || !checkpoint.stateDigest().equals(proof.stateDigest())) {
        return Optional.of("checkpoint proof of " + proof.sequence() + " holds a checkpoint of another state");
      }
      if (!signers.add(checkpoint.replica())) {
        return Optional.of("checkpoint proof of " + proof.sequence() + " counts " + checkpoint.replica() + " twice");
      }
      if (!verifies(checkpoint)) {
        return Optional.of("checkpoint of " + checkpoint.replica() + " does not verify");
      }
    }
    return quorum.reached(signers) ? Optional.empty()
        : Optional.of("checkpoint proof of " + proof.sequence() + " has signers " + signers + ", not a quorum");
  }

  Optional<String> preparedProblem(PbftMessage.PreparedCertificate certificate) {
    PbftMessage.PrePrepare prePrepare = certificate.prePrepare();
    String primary = config.primary(prePrepare.view());
    if (!prePrepare.replica().equals(primary) || !verifies(prePrepare)) {
      return Optional.of("prepared certificate of " + prePrepare.sequence() + " lacks its primary's pre-prepare");
    }
    TreeSet<String> signers = new TreeSet<>();
    signers.add(primary);
    for (PbftMessage.PbftPrepare prepare : certificate.prepares()) {
      if (prepare.view() != prePrepare.view() || prepare.sequence() != prePrepare.sequence()
          || !prepare.digest().equals(prePrepare.digest())) {
        return Optional.of("prepared certificate of " + prePrepare.sequence() + " holds a prepare for something else");
      }
      if (!signers.add(prepare.replica())) {
        return Optional.of("prepared certificate of " + prePrepare.sequence() + " counts " + prepare.replica() + " twice");
      }
      if (!verifies(prepare)) {
        return Optional.of("prepare of " + prepare.replica() + " does not verify");
      }
    }
    return quorum.reached(signers) ? Optional.empty()
        : Optional.of("prepared certificate of " + prePrepare.sequence() + " has signers " + signers + ", not a quorum");
  }

  /** Everything a ViewChange claims: its signature, its checkpoint and each prepared certificate. */
  Optional<String> viewChangeProblem(PbftMessage.ViewChange viewChange) {
    if (!verifies(viewChange)) {
      return Optional.of("view change of " + viewChange.replica() + " does not verify");
    }
    Optional<String> checkpoint = checkpointProblem(proofOf(viewChange));
    if (checkpoint.isPresent()) {
      return checkpoint;
    }
    long low = viewChange.stableSequence();
    long previous = -1;
    for (PbftMessage.PreparedCertificate certificate : viewChange.prepared()) {
      long sequence = certificate.sequence();
      if (sequence < low || sequence >= low + config.watermarkWindow() || sequence <= previous) {
        return Optional.of("view change of " + viewChange.replica() + " has a prepared certificate for " + sequence
            + " out of order or outside [" + low + ", " + (low + config.watermarkWindow()) + ")");
      }
      if (certificate.view() >= viewChange.newView()) {
        return Optional.of("view change of " + viewChange.replica() + " has a certificate of view " + certificate.view());
      }
      Optional<String> problem = preparedProblem(certificate);
      if (problem.isPresent()) {
        return problem;
      }
      previous = sequence;
    }
    return Optional.empty();
  }

  static CheckpointProof proofOf(PbftMessage.ViewChange viewChange) {
    return new CheckpointProof(viewChange.stableSequence(), viewChange.stableDigest(), viewChange.checkpointProof());
  }
}
