package dev.chil.node.policy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, from a file or the bundled default, and its reloads: when the file changes
 * (watched through its folder, so that a file renamed over it or a Kubernetes ConfigMap's swapped
 * link counts too) and on {@link #reload} (SIGHUP). A reload that fails keeps the policy in force
 * and logs {@code policy_reload_refused} with every problem; one that works logs
 * {@code policy_reloaded}. Thread-safe.
 */
public final class LivePolicy implements AutoCloseable {
  /** After a change, the file is read once no further change has come for this long. */
  static final Duration SETTLE = Duration.ofMillis(100);
  private static final Logger LOG = LoggerFactory.getLogger(LivePolicy.class);

  private final Optional<Path> file;
  private final String cluster;
  private final SizeBounds bounds;
  private final PolicyCounters counters;
  private final PolicyEvents events = new PolicyEvents();
  private volatile Policy current;
  private byte[] lastRead; // the file's bytes as last read, loaded or refused; guarded by this
  private WatchService watcher;
  private Thread watching;

  private LivePolicy(Optional<Path> file, String cluster, SizeBounds bounds, PolicyCounters counters, Policy current,
      byte[] lastRead) {
    this.file = file;
    this.cluster = cluster;
    this.bounds = bounds;
    this.counters = counters;
    this.current = current;
    this.lastRead = lastRead;
  }

  /**
   * Loads the policy: {@code file}, or the bundled default when empty.
   *
   * @throws PolicyException listing every problem of the file: the node must not start
   */
  public static LivePolicy load(Optional<Path> file, String cluster, SizeBounds bounds, PolicyCounters counters)
      throws PolicyException {
    LivePolicy live;
    if (file.isEmpty()) {
      live = new LivePolicy(file, cluster, bounds, counters, PolicyLoader.bundledDefault(cluster, bounds), null);
    } else {
      byte[] bytes = read(file.get());
      live = new LivePolicy(file, cluster, bounds, counters, parse(bytes, file.get(), cluster, bounds), bytes);
    }
    live.events.loaded(live.current.source());
    return live;
  }

  public Policy current() {
    return current;
  }

  /**
   * Reads the file again, whether it changed or not (SIGHUP). The bundled default never changes.
   *
   * @return whether the policy read is now in force
   */
  public synchronized boolean reload(String trigger) {
    if (file.isEmpty()) {
      events.reloaded(current.source(), trigger);
      return true;
    }
    byte[] bytes;
    try {
      bytes = read(file.get());
    } catch (PolicyException e) {
      refused(trigger, e);
      return false;
    }
    lastRead = bytes;
    try {
      current = parse(bytes, file.get(), cluster, bounds);
    } catch (PolicyException e) {
      refused(trigger, e);
      return false;
    }
    counters.countReloaded();
    events.reloaded(current.source(), trigger);
    return true;
  }

  /** Reloads if the file's bytes differ from those last read. */
  synchronized void reloadIfChanged(String trigger) {
    try {
      if (Arrays.equals(read(file.orElseThrow()), lastRead)) {
        return;
      }
    } catch (PolicyException e) {
      // Gone or unreadable: reload says so, and keeps the policy in force.
    }
    reload(trigger);
  }

  private void refused(String trigger, PolicyException e) {
    counters.countReloadRefused();
    events.reloadRefused(file.orElseThrow().toString(), trigger, e.problems());
  }

  /** Watches the file for changes until {@link #close}; nothing to watch for the bundled default. */
  public synchronized void watch(String threadName) throws IOException {
    if (file.isEmpty() || watching != null) {
      return;
    }
    Path folder = file.get().toAbsolutePath().getParent();
    watcher = folder.getFileSystem().newWatchService();
    folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    WatchService service = watcher;
    watching = new Thread(() -> watchLoop(service), threadName);
    watching.setDaemon(true);
    watching.start();
  }

  private void watchLoop(WatchService service) {
    try {
      while (true) {
        drain(service.take());
        // Let a burst of changes settle (an editor's save is several), then read the file once.
        for (WatchKey more = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS); more != null;
            more = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
          drain(more);
        }
        reloadIfChanged("file changed");
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: stop watching
    } catch (RuntimeException e) {
      LOG.error("the policy file is no longer watched: {}", e.toString());
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  private static byte[] read(Path file) throws PolicyException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      String why = Files.exists(file) ? "cannot be read: " + e.getMessage() : "the policy file does not exist";
      throw new PolicyException(file.toString(), List.of(file + ": " + why));
    }
  }

  private static Policy parse(byte[] bytes, Path file, String cluster, SizeBounds bounds) throws PolicyException {
    return PolicyLoader.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString(), cluster,
        bounds);
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the policy watcher: {}", e.toString());
      }
    }
  }
}
