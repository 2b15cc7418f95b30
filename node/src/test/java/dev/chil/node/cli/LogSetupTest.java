package dev.chil.node.cli;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class LogSetupTest {
  private final PrintStream originalErr = System.err;

  @AfterEach
  void restoreTestLogging() throws Exception {
    System.setErr(originalErr);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getClassLoader().getResource("logback-test.xml"));
  }

  @Test
  void jsonIsOneObjectPerLineWithStructuredFields() {
    String[] lines = logOneEvent(LogSetup.Format.JSON).split("\n");

    assertThat(lines).hasSize(1);
    JsonNode event = new ObjectMapper().readTree(lines[0]);
    assertThat(event.get("level").asString()).isEqualTo("WARN");
    assertThat(event.get("logger_name").asString()).isEqualTo("chil.security");
    assertThat(event.get("event").asString()).isEqualTo("identity_rejected");
    assertThat(event.get("message").asString()).isEqualTo("rejected reason=expired");
  }

  @Test
  void aNodesJsonLinesCarryItsNameAndClusterFromEveryThread() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.apply(LogSetup.Format.JSON, false);
    LogSetup.identify("prod", "node-2");
    LoggerFactory.getLogger("chil.main").info("on the main thread");
    Thread other = new Thread(() -> LoggerFactory.getLogger("chil.driver").warn("on another thread"));
    other.start();
    other.join();

    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2).allSatisfy(line -> {
      JsonNode event = new ObjectMapper().readTree(line);
      assertThat(event.get("node").asString()).isEqualTo("node-2");
      assertThat(event.get("cluster").asString()).isEqualTo("prod");
    });
  }

  @Test
  void textIsOneReadableLine() {
    String output = logOneEvent(LogSetup.Format.TEXT);

    assertThat(output).doesNotStartWith("{").contains("WARN", "chil.security", "rejected reason=expired");
  }

  private String logOneEvent(LogSetup.Format format) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.apply(format, false); // the console appender binds System.err as it starts
    LoggerFactory.getLogger("chil.security").warn("rejected {}", kv("reason", "expired"), kv("event", "identity_rejected"));
    LoggerFactory.getLogger("chil.quiet").debug("not at INFO");
    return captured.toString(StandardCharsets.UTF_8).strip();
  }
}
