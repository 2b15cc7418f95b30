package dev.chil.client;

/** An answer the client refuses: it does not prove what it says, against the roster the CA vouches for. */
public final class UnverifiedAnswerException extends Exception {
  public UnverifiedAnswerException(String message) {
    super(message);
  }
}
