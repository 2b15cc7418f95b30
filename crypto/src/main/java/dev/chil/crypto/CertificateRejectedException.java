package dev.chil.crypto;

import java.security.cert.CertificateException;

/**
 * A certificate that this cluster does not accept, with the reason in the message. Extends
 * {@link CertificateException} so a TLS trust manager can throw it as it is.
 */
public final class CertificateRejectedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  public CertificateRejectedException(String reason) {
    super(reason);
  }

  public CertificateRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
