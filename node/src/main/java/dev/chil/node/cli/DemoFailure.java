package dev.chil.node.cli;

/** A demo step did not do what it shows; the message says what and where to look. */
final class DemoFailure extends RuntimeException {
  DemoFailure(String message) {
    super(message);
  }
}
