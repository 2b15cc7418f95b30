package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The digest of one slot's ordered commands: what replicas vote on, and what a verifier
 * recomputes from the audit entries to check the slot's quorum certificate.
 *
 * <pre>
 *   SHA-256( "chil-consensus/slot/v1" 0x00 ‖ u32(count) ‖ for each command: bytes32(canonicalBytes) )
 * </pre>
 *
 * An empty slot (a no-op that fills a gap) has the digest of zero commands.
 */
public final class SlotDigest {
  static final byte[] DOMAIN_TAG = Canonical.ascii("chil-consensus/slot/v1\0");

  private SlotDigest() {}

  public static ByteString of(List<Command> commands) {
    Canonical encoding = new Canonical().raw(DOMAIN_TAG).u32(commands.size());
    for (Command command : commands) {
      encoding.bytes32(command.canonicalBytes());
    }
    return ByteString.copyFrom(Canonical.sha256(encoding.toByteArray()));
  }
}
