package dev.chil.audit.chain;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one accepted text form of a certificate in an audit log (FORMAT.md, "Certificates"):
 * {@code -----BEGIN CERTIFICATE-----\n}, the DER in standard base64 with padding, in lines of 64
 * characters each ending {@code \n}, then {@code -----END CERTIFICATE-----\n}. Nothing before,
 * after or between; exactly one block. The hash covers the DER, so any other text would be bytes
 * that nothing authenticates: a reader refuses it rather than ignore it.
 */
public final class CertificatePem {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----\n";
  private static final String END = "-----END CERTIFICATE-----\n";
  private static final int LINE_CHARS = 64;

  private CertificatePem() {}

  public static String encode(byte[] der) {
    String base64 = Base64.getEncoder().encodeToString(der);
    StringBuilder pem = new StringBuilder(BEGIN);
    for (int start = 0; start < base64.length(); start += LINE_CHARS) {
      pem.append(base64, start, Math.min(base64.length(), start + LINE_CHARS)).append('\n');
    }
    return pem.append(END).toString();
  }

  /**
   * Parses a certificate stored in the canonical form above, whose DER is itself canonical (it
   * re-encodes to the same bytes).
   *
   * @throws CertificateException naming what is wrong
   */
  public static X509Certificate decode(String pem) throws CertificateException {
    if (pem == null || !pem.startsWith(BEGIN) || !pem.endsWith(END) || pem.length() < BEGIN.length() + END.length()) {
      throw new CertificateException("is not exactly one PEM CERTIFICATE block");
    }
    String body = pem.substring(BEGIN.length(), pem.length() - END.length()).replace("\n", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new CertificateException("holds text that is not base64 inside its PEM block");
    }
    if (!encode(der).equals(pem)) {
      throw new CertificateException("is not in the canonical PEM form (one block, 64-character lines, \\n line"
          + " ends, nothing before or after)");
    }
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    if (!Arrays.equals(certificate.getEncoded(), der)) {
      throw new CertificateException("is not DER-encoded canonically");
    }
    return certificate;
  }
}
