package dev.chil.node.assembly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.naming.directory.InitialDirContext;
import org.awaitility.Awaitility;

/**
 * dnsmasq (Debian's dnsmasq-base) on a loopback port, answering only the records a test gives it.
 * A new answer restarts it on the same port with the new records; it is stopped by its own PID.
 */
final class LocalDns implements AutoCloseable {
  /** A name every answer has, so that the server can be seen to be up whatever else it answers. */
  private static final String READY = "ready.chil.test";

  private final Path directory;
  private final int port;
  private Process process;

  private LocalDns(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  static boolean installed() {
    for (String folder : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      if (Files.isExecutable(Path.of(folder, "dnsmasq"))) {
        return true;
      }
    }
    return false;
  }

  /** @param records dnsmasq config lines such as {@code host-record=...} and {@code srv-host=...} */
  static LocalDns start(Path directory, int port, List<String> records) throws Exception {
    LocalDns dns = new LocalDns(directory, port);
    dns.answer(records);
    return dns;
  }

  int port() {
    return port;
  }

  /** Serves these records from now on. */
  void answer(List<String> records) throws Exception {
    stop();
    Path conf = directory.resolve("dnsmasq.conf");
    Files.writeString(conf, String.join("\n", List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
        "no-resolv", "no-hosts", "user=" + System.getProperty("user.name"), "host-record=" + READY + ",127.0.0.1"))
        + "\n" + String.join("\n", records) + "\n");
    process = new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--conf-file=" + conf,
        "--pid-file=" + directory.resolve("dnsmasq.pid"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("dnsmasq.log")
            .toFile())).start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      Hashtable<String, String> environment = new Hashtable<>();
      environment.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
      environment.put("java.naming.provider.url", "dns://127.0.0.1:" + port + "/");
      new InitialDirContext(environment).getAttributes(READY, new String[] {"A"});
      return process.isAlive();
    });
  }

  private void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
