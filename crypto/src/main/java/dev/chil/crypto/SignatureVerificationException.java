package dev.chil.crypto;

import java.security.GeneralSecurityException;

/** A signature that must not be trusted; the message says why. */
public final class SignatureVerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public SignatureVerificationException(String reason) {
    super(reason);
  }
}
