package dev.chil.node.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP makes a running {@code chil node} reload its policy file, as daemons do with their
 * config. Uses {@code sun.misc.Signal}, the JDK's only way to catch a signal (module
 * jdk.unsupported); where the JVM does not let a program have SIGHUP (Windows, {@code -Xrs}),
 * the policy still reloads when its file changes.
 */
final class HangUpSignal {
  private static final Logger LOG = LoggerFactory.getLogger(HangUpSignal.class);

  private HangUpSignal() {}

  /** Runs {@code action} on every SIGHUP, in place of the JVM's default (which would exit). */
  static void onHangUp(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP cannot be handled here ({}): the policy reloads only when its file changes", e.getMessage());
    }
  }
}
