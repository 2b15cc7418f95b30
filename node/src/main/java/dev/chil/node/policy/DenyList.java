package dev.chil.node.policy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Certificates refused whatever else they are: by serial number (hex, as {@code openssl x509
 * -serial} prints it) or by SHA-256 fingerprint of the DER certificate (hex, with or without
 * colons, as {@code openssl x509 -fingerprint -sha256} prints it). A serial is unique only
 * under one CA; with several CAs a fingerprint names exactly one certificate.
 */
public record DenyList(Set<BigInteger> serials, Set<String> sha256Fingerprints) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  public DenyList {
    serials = Set.copyOf(serials);
    sha256Fingerprints = Set.copyOf(sha256Fingerprints);
  }

  public static DenyList empty() {
    return new DenyList(Set.of(), Set.of());
  }

  /** A serial as written: hex digits, colons and a {@code 0x} prefix allowed. */
  public static BigInteger parseSerial(String text) {
    String hex = text.strip().toLowerCase(Locale.ROOT).replace(":", "");
    if (hex.startsWith("0x")) {
      hex = hex.substring(2);
    }
    if (hex.isEmpty() || hex.length() > 40 || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a certificate serial number: 1-40 hex digits"
          + " (colons allowed), as openssl x509 -serial prints it");
    }
    return new BigInteger(hex, 16);
  }

  /** A fingerprint as written: 64 hex digits, colons allowed, any case; kept as lower-case hex. */
  public static String parseFingerprint(String text) {
    String hex = text.strip().toLowerCase(Locale.ROOT).replace(":", "");
    if (hex.length() != 64 || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint: 64 hex digits (colons"
          + " allowed), as openssl x509 -fingerprint -sha256 prints it");
    }
    return hex;
  }

  /** The SHA-256 fingerprint of {@code certificate}'s DER encoding, as lower-case hex. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint a verified certificate", e);
    }
  }

  /** Why {@code certificate} is refused, or empty when it is not on the list. */
  public Optional<String> denial(X509Certificate certificate) {
    if (serials.contains(certificate.getSerialNumber())) {
      return Optional.of("certificate serial " + certificate.getSerialNumber().toString(16)
          + " is on the policy's deny list");
    }
    if (sha256Fingerprints.isEmpty()) {
      return Optional.empty(); // no fingerprint to compute on every call
    }
    String fingerprint = fingerprint(certificate);
    if (sha256Fingerprints.contains(fingerprint)) {
      return Optional.of("certificate SHA-256 fingerprint " + fingerprint + " is on the policy's deny list");
    }
    return Optional.empty();
  }
}
