package dev.chil.audit.chain;

import com.google.protobuf.ByteString;

/**
 * A decided slot whose certificate a {@link CertificateCheck} proved against a roster. Only
 * {@link CertificateCheck#verify} makes one, so holding one is the proof: the node can verify
 * certificates on its network threads, in parallel, and hand the driver thread slots that the
 * audit log appends without checking the signatures a second time.
 */
public final class VerifiedSlot {
  private final DecidedSlot slot;
  private final ByteString genesisHash;

  VerifiedSlot(DecidedSlot slot, ByteString genesisHash) {
    this.slot = slot;
    this.genesisHash = genesisHash;
  }

  public DecidedSlot slot() {
    return slot;
  }

  /** The genesis whose roster proved it: a log of another genesis refuses the slot. */
  public ByteString genesisHash() {
    return genesisHash;
  }

  @Override
  public String toString() {
    return "VerifiedSlot[slot " + slot.slot() + ", " + slot.commands().size() + " commands]";
  }
}
