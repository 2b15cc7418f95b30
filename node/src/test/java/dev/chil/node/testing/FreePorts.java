package dev.chil.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for test nodes, chosen below the kernel's ephemeral range (32768-60999 on Linux). A port
 * from {@code new ServerSocket(0)} is free only until it is closed: before the node binds it, an
 * outbound connection's source port or another port-0 listener (a link proxy, another test's
 * server) can take it, which a busy machine makes likely. Below that range only explicit binds
 * compete. Each JVM starts at its own offset, derived from its pid, and counts up.
 */
public final class FreePorts {
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static int next = FIRST + (int) (ProcessHandle.current().pid() * 61 % (LAST - FIRST));

  private FreePorts() {}

  public static synchronized int next() throws IOException {
    for (int tried = 0; tried < LAST - FIRST; tried++) {
      int candidate = next;
      next = next + 1 >= LAST ? FIRST : next + 1;
      try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: try the next
      }
    }
    throw new IOException("no free loopback port between " + FIRST + " and " + LAST);
  }
}
