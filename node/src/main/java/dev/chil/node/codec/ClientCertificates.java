package dev.chil.node.codec;

import com.google.protobuf.ByteString;

/**
 * Where the certificates of clients come from and go to when their signed requests travel between
 * replicas: a request carries its client's certificate (DER), so that a replica that never saw the
 * client can check its signature. Implementations check a certificate against the cluster CA
 * before they remember it, and are thread-safe: decoding runs on gRPC threads.
 */
public interface ClientCertificates {

  /** Remembers nothing and knows no certificate: requests travel without one. */
  ClientCertificates NONE = new ClientCertificates() {
    @Override
    public ByteString certificateOf(String client) {
      return ByteString.EMPTY;
    }

    @Override
    public void learn(String client, ByteString certificate) {}
  };

  /** The certificate (DER) of {@code client} (a SPIFFE id), or empty when none is known. */
  ByteString certificateOf(String client);

  /**
   * Checks that {@code certificate} is a certificate of the cluster CA for {@code client}, and
   * remembers it.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  void learn(String client, ByteString certificate);
}
