package dev.chil.audit.verify;

import dev.chil.audit.chain.Head;
import dev.chil.audit.chain.Problem;
import java.util.Objects;

/**
 * What verifying an audit log found, with the exit code the CLI returns for it: 0 valid,
 * 1 invalid (the log was tampered with or is corrupt inside), 2 the input cannot be read at all.
 */
public sealed interface VerificationResult {
  int EXIT_VALID = 0;
  int EXIT_INVALID = 1;
  int EXIT_UNREADABLE = 2;

  int exitCode();

  /** One line for a human. */
  String message();

  /** Every check passed over {@code entries} entries in {@code slots} slots. */
  record Valid(long entries, long slots, Head head, long signedHeads) implements VerificationResult {
    public Valid {
      Objects.requireNonNull(head, "head");
    }

    @Override
    public int exitCode() {
      return EXIT_VALID;
    }

    @Override
    public String message() {
      return "OK: " + entries + " entries in " + slots + " slots, head " + head.hashHex()
          + ", " + signedHeads + " signed heads match";
    }
  }

  /**
   * The first bad index (0 for the genesis and roster) and what is wrong there. For a slot's
   * certificate the index is the slot's first entry (or, for an empty slot, the index the next
   * entry would have).
   */
  record Invalid(long index, Problem problem, String reason) implements VerificationResult {
    public Invalid {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int exitCode() {
      return EXIT_INVALID;
    }

    @Override
    public String message() {
      return "INVALID at index " + index + " (" + problem.name().toLowerCase(java.util.Locale.ROOT) + "): " + reason;
    }
  }

  /** The file is not something this verifier can read: missing, empty, not SQLite, another schema. */
  record Unreadable(String reason) implements VerificationResult {
    public Unreadable {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int exitCode() {
      return EXIT_UNREADABLE;
    }

    @Override
    public String message() {
      return "CANNOT READ: " + reason;
    }
  }
}
