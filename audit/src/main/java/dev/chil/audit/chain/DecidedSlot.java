package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the node hands the audit log for one slot: the ordered commands, the quorum certificate
 * that proves them, and two node-local facts kept beside the chain (when this node learned the
 * decision, and in which ballot or view). A slot with no commands is a no-op that fills a gap;
 * it still has a certificate.
 */
public record DecidedSlot(
    List<Command> commands, QuorumCertificate certificate, Instant decidedAt, ByteString learnedIn) {
  public DecidedSlot {
    commands = List.copyOf(commands);
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(learnedIn, "learnedIn");
  }

  public long slot() {
    return certificate.statement().slot();
  }
}
