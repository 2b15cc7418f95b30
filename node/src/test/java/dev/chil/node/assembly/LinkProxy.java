package dev.chil.node.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One directed network link for tests: a loopback TCP relay to a target port that can be cut
 * (every connection through it dropped, new ones refused) and healed, or paused (connections stay
 * open but carry nothing, as if the process at the far end were stopped with SIGSTOP) and
 * resumed. TLS passes through it untouched, so the nodes still check each other's certificates
 * end to end.
 */
final class LinkProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private boolean paused; // guarded by this

  LinkProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "link-proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Drops every connection through the link and refuses new ones until {@link #heal()}. */
  void cut() {
    cut = true;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  void heal() {
    cut = false;
  }

  /** Holds every byte in either direction, new connections included, until {@link #resume()}. */
  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  private synchronized void awaitResumed() throws InterruptedException {
    while (paused) {
      wait();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket inbound = listener.accept();
        if (cut) {
          closeQuietly(inbound);
          continue;
        }
        Socket outbound = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(inbound);
        open.add(outbound);
        pump(inbound, outbound);
        pump(outbound, inbound);
      } catch (IOException e) {
        // The listener closed, or the target is down: the connecting node sees a dropped connection.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          awaitResumed();
          out.write(buffer, 0, read);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // One side closed or the link was cut.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "link-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    resume();
    cut();
    listener.close();
  }
}
