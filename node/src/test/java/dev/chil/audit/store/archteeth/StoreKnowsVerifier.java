package dev.chil.audit.store.archteeth;

import dev.chil.audit.verify.VerificationResult;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: the audit writer leaning on the verifier. */
public final class StoreKnowsVerifier {
  public boolean valid(VerificationResult result) {
    return result instanceof VerificationResult.Valid;
  }
}
