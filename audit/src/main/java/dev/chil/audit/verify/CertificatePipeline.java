package dev.chil.audit.verify;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.InvalidCertificateException;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.verify.VerificationResult.Invalid;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks slot certificates on a few threads while the verifier walks on, and reports the first
 * failure in slot order, so that parallelism never changes which bad index is named. Signature
 * checks are the verifier's dominant cost; hashing stays on the walking thread.
 *
 * <p>Bounded: at most {@link #WINDOW_SLOTS} certificates wait at once; the walker blocks on the
 * oldest when the window is full.
 */
final class CertificatePipeline implements AutoCloseable {
  static final int WINDOW_SLOTS = 256;

  private final CertificateCheck check;
  private final ExecutorService threads;
  private final Deque<Future<Invalid>> pending = new ArrayDeque<>();

  CertificatePipeline(CertificateCheck check, int threadCount) {
    this.check = check;
    this.threads = Executors.newFixedThreadPool(threadCount, runnable -> {
      Thread thread = new Thread(runnable, "audit-certificate-check");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Queues a slot's certificate check.
   *
   * @return the failure of the oldest waiting check when the window was full and it failed, else null
   */
  Invalid submit(long slot, long firstIndex, String entries, ByteString digest, QuorumCertificate certificate)
      throws InterruptedException {
    Invalid failed = null;
    if (pending.size() >= WINDOW_SLOTS) {
      failed = await(pending.removeFirst());
    }
    pending.addLast(threads.submit(() -> {
      try {
        check.check(slot, digest, certificate);
        return null;
      } catch (InvalidCertificateException e) {
        return new Invalid(firstIndex, e.problem(),
            "the certificate of slot " + slot + " (" + entries + ") fails: " + e.getMessage());
      }
    }));
    return failed;
  }

  /** Waits for every queued check, in slot order; the first failure, or null. */
  Invalid drain() throws InterruptedException {
    while (!pending.isEmpty()) {
      Invalid failed = await(pending.removeFirst());
      if (failed != null) {
        return failed;
      }
    }
    return null;
  }

  private static Invalid await(Future<Invalid> check) throws InterruptedException {
    try {
      return check.get();
    } catch (ExecutionException e) {
      // A check that threw something other than a verdict is a bug here, not a bad log.
      throw new IllegalStateException("a certificate check failed unexpectedly", e.getCause());
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
