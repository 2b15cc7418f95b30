/**
 * The auditor's side, all read-only: {@link dev.chil.audit.verify.AuditVerifier} with its
 * {@link dev.chil.audit.verify.VerificationResult}, {@link dev.chil.audit.verify.AuditComparison}
 * and {@link dev.chil.audit.verify.AuditExport}. The verifier's parts ({@code ChainCheck},
 * {@code CertificatePipeline}) stay package-private.
 */
package dev.chil.audit.verify;
