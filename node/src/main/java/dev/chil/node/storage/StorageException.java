package dev.chil.node.storage;

import java.nio.file.Path;

/**
 * The node's durable storage failed or holds what this build cannot read. Unchecked: nothing can
 * retry it safely (a promise that may or may not be on disk), so the driver stops the node.
 * The message names the file, for the operator.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem + (cause == null ? "" : ": " + cause.getMessage()), cause);
  }

  public StorageException(Path file, String problem) {
    this(file, problem, null);
  }
}
