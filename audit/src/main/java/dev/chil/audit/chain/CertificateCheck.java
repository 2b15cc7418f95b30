package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a quorum certificate proves a slot's content against a genesis roster: every vote
 * from a distinct roster member, every signature valid over the statement of this slot and this
 * digest, and the protocol's quorum reached. A single bad vote fails the whole certificate, even
 * when the others would reach a quorum: a log that carries a forged vote has been tampered with.
 *
 * <p>Pure apart from signature checks, and immutable: safe to share between threads.
 */
public final class CertificateCheck {
  private final Genesis genesis;
  private final ByteString genesisHash;
  private final Verifier verifier;

  public CertificateCheck(Genesis genesis, Verifier verifier) {
    this.genesis = Objects.requireNonNull(genesis, "genesis");
    this.genesisHash = genesis.hash();
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /**
   * A check whose verifier knows exactly the roster's certificates. It trusts them: the caller
   * checks them against the cluster CA (the log verifier does; a node got them from its config).
   */
  public static CertificateCheck forRoster(Genesis genesis) throws GeneralSecurityException {
    return new CertificateCheck(genesis, TinkVerifier.forCertificates(
        genesis.cluster(), genesis.roster().stream().map(RosterMember::certificate).toList()));
  }

  public Genesis genesis() {
    return genesis;
  }

  public Verifier verifier() {
    return verifier;
  }

  /**
   * @param digest the digest recomputed from the slot's commands, never one read from storage
   * @throws InvalidCertificateException naming the first problem found
   */
  public void check(long slot, ByteString digest, QuorumCertificate certificate)
      throws InvalidCertificateException {
    VoteStatement statement = certificate.statement();
    if (statement.slot() != slot) {
      throw new InvalidCertificateException(Problem.SLOT_MISMATCH,
          "the certificate is for slot " + statement.slot() + ", not slot " + slot);
    }
    if (!statement.digest().equals(digest)) {
      throw new InvalidCertificateException(Problem.CERTIFICATE_DIGEST_MISMATCH,
          "the commands of slot " + slot + " do not hash to the digest its certificate signs");
    }
    byte[] payload = statement.payload();
    Set<String> signers = new HashSet<>();
    long weight = 0;
    for (Vote vote : certificate.votes()) {
      RosterMember member = genesis.member(vote.signer());
      if (member == null) {
        throw new InvalidCertificateException(Problem.SIGNER_NOT_IN_ROSTER,
            "slot " + slot + " has a vote by '" + vote.signer() + "', who is not in the roster");
      }
      if (!signers.add(vote.signer())) {
        throw new InvalidCertificateException(Problem.DUPLICATE_SIGNER,
            "slot " + slot + " counts the vote of " + vote.signer() + " more than once");
      }
      try {
        verifier.verify(Identity.node(genesis.cluster(), member.node()), VoteStatement.MESSAGE_TYPE,
            payload, vote.signature().toByteArray());
      } catch (SignatureVerificationException | IllegalArgumentException e) {
        throw new InvalidCertificateException(Problem.CERTIFICATE_SIGNATURE_INVALID,
            "slot " + slot + ": the vote signature of " + vote.signer() + " does not verify");
      }
      weight += member.weight();
    }
    if (!Quorum.reached(genesis, signers.size(), weight)) {
      throw new InvalidCertificateException(Problem.QUORUM_NOT_REACHED,
          "slot " + slot + " has " + Quorum.describe(genesis, signers.size(), weight));
    }
  }

  /**
   * Checks a decided slot's certificate against its commands and returns the proof that it did,
   * for the store's {@code AuditLog.appendVerified} (the pure chain
   * names no class above it). Safe to call from any thread.
   *
   * @throws InvalidCertificateException naming the first problem found
   */
  public VerifiedSlot verify(DecidedSlot slot) throws InvalidCertificateException {
    check(slot.slot(), slot.commands(), slot.certificate());
    return new VerifiedSlot(slot, genesisHash);
  }

  /** Convenience for a slot's commands as they are: recomputes their digest. */
  public void check(long slot, List<Command> commands, QuorumCertificate certificate)
      throws InvalidCertificateException {
    check(slot, SlotDigest.of(commands), certificate);
  }
}
