package dev.chil.node.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies the log format and level chosen on the command line to logback. */
final class LogSetup {
  /** The log line formats: JSON lines for machines, one readable line for people. */
  enum Format {
    JSON,
    TEXT
  }

  private LogSetup() {}

  /**
   * Puts the node's name and cluster on every log line from now on, from every thread: JSON lines
   * carry logger context properties as fields ({@code "node"}, {@code "cluster"}).
   */
  static void identify(String cluster, String nodeId) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.putProperty("node", nodeId);
    context.putProperty("cluster", cluster);
  }

  static void apply(Format format, boolean verbose) {
    // logback.xml reads these; re-running it makes the choice take effect for every logger.
    System.setProperty("chil.log.format", format.name().toLowerCase(Locale.ROOT));
    System.setProperty("chil.log.level", verbose ? "DEBUG" : "INFO");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL configuration = LogSetup.class.getClassLoader().getResource("logback.xml");
    if (configuration == null) {
      throw new IllegalStateException("logback.xml is missing from the classpath");
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(configuration);
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml in the jar is broken", e);
    }
  }
}
