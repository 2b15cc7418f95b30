/**
 * The pure audit chain: what the protocols and every verifier share, with no SQLite and no IO.
 * The bytes are specified in {@code audit/FORMAT.md}.
 *
 * <ul>
 *   <li>the contract shared with the protocols: {@link dev.chil.audit.chain.Command},
 *       {@link dev.chil.audit.chain.SlotDigest}, {@link dev.chil.audit.chain.VoteStatement},
 *       {@link dev.chil.audit.chain.Vote}, {@link dev.chil.audit.chain.QuorumCertificate},
 *       {@link dev.chil.audit.chain.DecidedSlot};
 *   <li>what a log starts from: {@link dev.chil.audit.chain.Genesis} and
 *       {@link dev.chil.audit.chain.RosterMember};
 *   <li>canonical bytes and hashes: {@link dev.chil.audit.chain.Canonical},
 *       {@link dev.chil.audit.chain.ChainHash} (entry hashes, head payloads);
 *   <li>does a certificate prove a slot: {@link dev.chil.audit.chain.Quorum},
 *       {@link dev.chil.audit.chain.CertificateCheck}, {@link dev.chil.audit.chain.VerifiedSlot}
 *       (the proof that it did), {@link dev.chil.audit.chain.Problem} (what was wrong, by name).
 * </ul>
 */
package dev.chil.audit.chain;
