package dev.chil.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes PEM certificates and PKCS#8 private keys. Every failure names the file and
 * the problem in one line.
 */
public final class PemFiles {
  private PemFiles() {}

  /** All certificates in a PEM file, in file order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) throws CryptoFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : readPemObjects(file)) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new CryptoFileException(file,
            "holds a " + describe(object) + " where a certificate was expected");
      }
      certificates.add(toCertificate(file, holder));
    }
    if (certificates.isEmpty()) {
      throw new CryptoFileException(file, "holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' block)");
    }
    return certificates;
  }

  /** The single Ed25519 PKCS#8 private key in a PEM file. */
  public static PrivateKey readPrivateKey(Path file) throws CryptoFileException {
    List<Object> objects = readPemObjects(file);
    if (objects.size() != 1) {
      throw new CryptoFileException(file,
          "holds " + objects.size() + " PEM blocks; expected exactly one 'PRIVATE KEY'");
    }
    Object object = objects.get(0);
    if (object instanceof PEMKeyPair) {
      throw new CryptoFileException(file,
          "holds a legacy (non-PKCS#8) private key; expected an Ed25519 key as 'BEGIN PRIVATE KEY'");
    }
    if (!(object instanceof PrivateKeyInfo info)) {
      throw new CryptoFileException(file, "holds a " + describe(object) + ", not a private key");
    }
    try {
      return Ed25519.privateKey(info);
    } catch (GeneralSecurityException e) {
      throw new CryptoFileException(file, e.getMessage(), e);
    }
  }

  public static void writeCertificate(Path file, X509Certificate certificate) {
    try {
      writeAtomically(file, pem("CERTIFICATE", certificate.getEncoded()), false);
    } catch (CertificateException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** Writes the key readable by its owner only (mode 0600), never briefly readable by others. */
  public static void writePrivateKey(Path file, PrivateKey key) {
    writeAtomically(file, pem("PRIVATE KEY", key.getEncoded()), true);
  }

  public static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeAtomically(Path file, String text, boolean secret) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      // Created 0600 either way, so a key is never readable by others, not even briefly.
      Path temporary = Files.createTempFile(directory, ".chil-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
        writer.write(text);
      }
      if (!secret) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot be written: " + e.getMessage(), e);
    }
  }

  private static List<Object> readPemObjects(Path file) throws CryptoFileException {
    List<Object> objects = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (NoSuchFileException e) {
      throw new CryptoFileException(file, "does not exist");
    } catch (AccessDeniedException e) {
      throw new CryptoFileException(file, "cannot be read: permission denied");
    } catch (FileAlreadyExistsException e) {
      throw new CryptoFileException(file, "is not a regular file");
    } catch (IOException | RuntimeException e) {
      // PEMParser throws IOException or IllegalArgumentException on broken base64 and bad DER.
      throw new CryptoFileException(file, "is not valid PEM: " + oneLine(e), e);
    }
    if (objects.isEmpty()) {
      throw new CryptoFileException(file, "holds no PEM block (is it empty or DER-encoded?)");
    }
    return objects;
  }

  private static X509Certificate toCertificate(Path file, X509CertificateHolder holder)
      throws CryptoFileException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException | CertificateException e) {
      throw new CryptoFileException(file, "holds a malformed certificate: " + oneLine(e), e);
    }
  }

  private static String describe(Object object) {
    return object.getClass().getSimpleName().replace("Holder", "");
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }
}
