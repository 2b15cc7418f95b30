package dev.chil.node.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory for one harness run, in memory-backed /dev/shm when the machine has it:
 * a crash here is an exception at a turn point, not a power cut, so fsync buys nothing but time.
 */
final class HarnessDirectory implements AutoCloseable {
  private final Path path;

  HarnessDirectory(String prefix) {
    try {
      Path shm = Path.of("/dev/shm");
      path = Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
