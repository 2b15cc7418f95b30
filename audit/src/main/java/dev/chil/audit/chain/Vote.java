package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One replica's signature over a {@link VoteStatement}: a member of a quorum certificate. The
 * signer is a node name of the roster; the certificate that checks the signature is the roster's.
 */
public record Vote(String signer, ByteString signature) {
  public Vote {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(signature, "signature");
  }
}
