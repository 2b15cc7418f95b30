package dev.chil.node.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's working directory. The demo wipes it on every run, so it only ever wipes a directory
 * it made itself: one that holds its marker file. Anything else that is not empty is refused
 * untouched, so a mistyped {@code --dir} cannot delete someone's files.
 */
final class DemoDirectory {
  static final String MARKER = ".chil-demo";
  /** Which process runs which node, so that a later run does not wipe a cluster left up by --keep. */
  static final String PIDS = "pids";

  private DemoDirectory() {}

  /** Makes {@code directory} an empty demo directory (with only the marker in it). */
  static void prepare(Path directory) throws IOException {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IllegalArgumentException(directory + " is a file, not a directory; choose another --dir");
    }
    Files.createDirectories(directory);
    if (!isEmpty(directory)) {
      if (!Files.isRegularFile(directory.resolve(MARKER))) {
        throw new IllegalArgumentException(directory + " is not empty and was not made by chil demo (no " + MARKER
            + " in it); choose another --dir or empty it");
      }
      refuseIfNodesStillRun(directory);
      wipeContents(directory);
    }
    Files.writeString(directory.resolve(MARKER),
        "Made by 'chil demo'. The next 'chil demo' in this directory deletes everything in it.\n");
  }

  /** Records the node processes, one "node pid" line each. */
  static void writePids(Path directory, Map<String, Long> pids) throws IOException {
    StringBuilder lines = new StringBuilder();
    pids.forEach((node, pid) -> lines.append(node).append(' ').append(pid).append('\n'));
    Files.writeString(directory.resolve(PIDS), lines);
  }

  private static void refuseIfNodesStillRun(Path directory) throws IOException {
    Path pidsFile = directory.resolve(PIDS);
    if (!Files.isRegularFile(pidsFile)) {
      return;
    }
    List<String> running = new ArrayList<>();
    for (String line : Files.readAllLines(pidsFile)) {
      String[] fields = line.strip().split(" ");
      if (fields.length == 2 && fields[1].matches("[0-9]{1,10}")) {
        long pid = Long.parseLong(fields[1]);
        // A pid can be reused by an unrelated process: only one whose command line names this
        // directory is one of our nodes.
        boolean ours = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .flatMap(process -> process.info().commandLine())
            .map(command -> command.contains(directory.toString()))
            .orElse(false);
        if (ours) {
          running.add(String.valueOf(pid));
        }
      }
    }
    if (!running.isEmpty()) {
      throw new IllegalArgumentException("the cluster of a previous demo in " + directory + " still runs; stop it first: kill "
          + String.join(" ", running));
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Deletes everything below {@code directory}; symbolic links are deleted, never followed. */
  private static void wipeContents(Path directory) throws IOException {
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path visited, IOException error) throws IOException {
        if (error != null) {
          throw error;
        }
        if (!visited.equals(directory)) {
          Files.delete(visited);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
