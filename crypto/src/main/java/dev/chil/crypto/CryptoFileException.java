package dev.chil.crypto;

import java.nio.file.Path;

/** A certificate or key file that is missing, unreadable or malformed; the message names it. */
public final class CryptoFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public CryptoFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CryptoFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
