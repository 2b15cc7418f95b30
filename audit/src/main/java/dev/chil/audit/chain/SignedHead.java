package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A head as the owning node vouched for it: signed under {@link #MESSAGE_TYPE} over
 * {@link ChainHash#headPayload}. A log cut below a signed head, or rewritten under it, no longer
 * matches the signature.
 */
public record SignedHead(Head head, String signer, ByteString signature) {
  public static final String MESSAGE_TYPE = "chil.audit-head.v1";

  public SignedHead {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(signature, "signature");
  }
}
