/**
 * The hash-chained audit log: each node's record of every decision with the quorum certificate
 * that proves it, verifiable offline with nothing but the cluster CA certificate. The bytes are
 * specified in {@code audit/FORMAT.md}.
 *
 * <p>Where to look:
 * <ul>
 *   <li>the contract shared with the protocols: {@link dev.chil.audit.Command},
 *       {@link dev.chil.audit.SlotDigest}, {@link dev.chil.audit.VoteStatement},
 *       {@link dev.chil.audit.Vote}, {@link dev.chil.audit.QuorumCertificate};
 *   <li>pure rules: {@link dev.chil.audit.Genesis} and {@link dev.chil.audit.RosterMember} (what
 *       a log starts from), {@link dev.chil.audit.ChainHash} (entry hashes, head payloads),
 *       {@link dev.chil.audit.Quorum} and {@link dev.chil.audit.CertificateCheck} (does a
 *       certificate prove a slot), {@link dev.chil.audit.VerifiedSlot} (the proof that it did);
 *   <li>the node's side: {@link dev.chil.audit.AuditLog} (create, open, append with group commit,
 *       read, head, signed heads), fed {@link dev.chil.audit.DecidedSlot}s;
 *   <li>the auditor's side, all read-only: {@link dev.chil.audit.AuditVerifier} with its
 *       {@link dev.chil.audit.VerificationResult} and {@link dev.chil.audit.Problem},
 *       {@link dev.chil.audit.AuditComparison}, {@link dev.chil.audit.AuditExport}.
 * </ul>
 * Package-private: the SQLite layout ({@code Schema}, {@code Sqlite}, {@code StoredRows},
 * {@code LogTables}) and the verifier's parts ({@code ChainCheck}, {@code CertificatePipeline},
 * {@code RowCursor}). No SQLite type appears in the public API.
 */
package dev.chil.audit;
