package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDirectoryTest {
  @TempDir Path directory;

  @Test
  void aMissingOrEmptyDirectoryGetsTheMarker() throws Exception {
    Path demo = directory.resolve("a/b");

    DemoDirectory.prepare(demo);

    assertThat(entries(demo)).containsExactly(demo.resolve(DemoDirectory.MARKER));
  }

  @Test
  void aPreviousDemoIsWipedAndReused() throws Exception {
    DemoDirectory.prepare(directory);
    Files.createDirectories(directory.resolve("data/node-1"));
    Files.writeString(directory.resolve("data/node-1/audit.db"), "x");
    Files.writeString(directory.resolve("node-1.log"), "x");

    DemoDirectory.prepare(directory);

    assertThat(entries(directory)).containsExactly(directory.resolve(DemoDirectory.MARKER));
  }

  @Test
  void aForeignDirectoryIsRefusedUntouched() throws Exception {
    Path file = Files.writeString(directory.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> DemoDirectory.prepare(directory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(directory + " is not empty and was not made by chil demo (no .chil-demo in it); choose another --dir or empty it");
    assertThat(entries(directory)).containsExactly(file);
  }

  @Test
  void aPreviousDemoWhoseNodesStillRunIsRefusedUntouched() throws Exception {
    DemoDirectory.prepare(directory);
    // A stand-in for a node left running by --keep: its command line names the directory.
    Process node = new ProcessBuilder("sh", "-c", "sleep 30", directory.resolve("node-1.yaml").toString()).start();
    try {
      DemoDirectory.writePids(directory, Map.of("node-1", node.pid()));

      assertThatThrownBy(() -> DemoDirectory.prepare(directory))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the cluster of a previous demo in " + directory + " still runs; stop it first: kill " + node.pid());
      assertThat(entries(directory)).contains(directory.resolve(DemoDirectory.PIDS));
    } finally {
      node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    DemoDirectory.prepare(directory);

    assertThat(entries(directory)).containsExactly(directory.resolve(DemoDirectory.MARKER));
  }

  private static java.util.List<Path> entries(Path directory) throws Exception {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
