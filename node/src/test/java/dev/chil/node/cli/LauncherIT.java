package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code chil} launcher as installed (launcher and jar, no sources, as in the container image):
 * {@code chil node} gets the production JVM defaults, JAVA_OPTS overrides them, other commands keep
 * the JVM's own. Runs after the jar is packaged.
 */
class LauncherIT {
  @TempDir Path installed;

  @Test
  void nodeGetsProductionDefaultsThatJavaOptsOverrides() throws Exception {
    install();
    Path gcLogs = Files.createDirectories(installed.resolve("gc"));

    String node = run(List.of("node", "--help"), "-XX:MaxRAMPercentage=60 -XX:+PrintFlagsFinal", gcLogs);
    assertThat(node).containsPattern("bool UseG1GC\\s+= true")
        .containsPattern("bool ExitOnOutOfMemoryError\\s+= true")
        .as("JAVA_OPTS comes last and wins").containsPattern("double MaxRAMPercentage\\s+= 60\\.0");
    try (var logs = Files.list(gcLogs)) {
      assertThat(logs.map(path -> path.getFileName().toString()).toList()).anyMatch(name -> name.startsWith("chil-gc-"));
    }

    String other = run(List.of("--help"), "-XX:+PrintFlagsFinal", gcLogs);
    assertThat(other).containsPattern("bool ExitOnOutOfMemoryError\\s+= false")
        .containsPattern("double MaxRAMPercentage\\s+= 25\\.0");
  }

  private void install() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Files.copy(root.resolve("chil"), installed.resolve("chil"));
    installed.resolve("chil").toFile().setExecutable(true);
    Files.createDirectories(installed.resolve("node/target"));
    Files.copy(root.resolve("node/target/chil.jar"), installed.resolve("node/target/chil.jar"));
  }

  private String run(List<String> args, String javaOpts, Path gcLogs) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(installed.resolve("chil").toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_OPTS", javaOpts);
    builder.environment().put("CHIL_GC_LOG_DIR", gcLogs.toString());
    builder.environment().remove("CHIL_JAVA_OPTS");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
