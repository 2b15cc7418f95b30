package dev.chil.node.transport;

import com.google.protobuf.ByteString;
import dev.chil.crypto.CertificateRejectedException;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.node.codec.ClientCertificates;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keys of the clients whose signed requests this node has seen, each from a certificate checked
 * against the cluster CA (chain, validity now, cluster, role, and that it names the client the
 * request says). A PBFT replica must check every request's client signature, also for clients that
 * never called it; their certificates travel with the requests (see {@link ClientCertificates}).
 *
 * <p>As a {@link Verifier} it checks node signatures with the roster's verifier and client
 * signatures with the learned keys; an unknown client does not verify. Thread-safe; bounded: at
 * most {@link #CLIENTS_MAX} clients, the least recently learned forgotten first.
 */
public final class ClientKeys implements ClientCertificates, Verifier {
  public static final int CLIENTS_MAX = 100_000;
  /** A certificate larger than this is refused unread. */
  public static final int CERTIFICATE_BYTES_MAX = 16 * 1024;

  private record Known(ByteString certificate, Verifier verifier, X509Certificate parsed) {}

  private final ClusterTrust trust;
  private final Clock clock;
  private final Verifier nodes;
  private final Map<Identity, Known> clients = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Identity, Known> eldest) {
      return size() > CLIENTS_MAX;
    }
  };

  /** @param nodes verifies the roster's node signatures */
  public ClientKeys(ClusterTrust trust, Clock clock, Verifier nodes) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
  }

  @Override
  public synchronized ByteString certificateOf(String client) {
    Identity identity;
    try {
      identity = Identity.parse(client);
    } catch (IllegalArgumentException e) {
      return ByteString.EMPTY;
    }
    Known known = clients.get(identity);
    return known == null ? ByteString.EMPTY : known.certificate();
  }

  @Override
  public void learn(String client, ByteString certificate) {
    Identity claimed = Identity.parse(client);
    synchronized (this) {
      Known known = clients.get(claimed);
      if (known != null && known.certificate().equals(certificate)) {
        return; // checked already: verification of a chain is the expensive part
      }
    }
    if (certificate.size() > CERTIFICATE_BYTES_MAX) {
      throw new IllegalArgumentException("the certificate of " + client + " is larger than " + CERTIFICATE_BYTES_MAX
          + " bytes");
    }
    X509Certificate parsed;
    try {
      parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificate.toByteArray()));
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("the certificate of " + client + " does not parse: " + e.getMessage(), e);
    }
    Identity proven;
    try {
      proven = trust.verify(List.of(parsed), clock.instant());
    } catch (CertificateRejectedException e) {
      throw new IllegalArgumentException("the certificate of " + client + " is refused: " + e.getMessage(), e);
    }
    if (proven.role() != Role.CLIENT || !proven.equals(claimed)) {
      throw new IllegalArgumentException("a certificate of " + proven + " came with a request of " + client);
    }
    Verifier verifier;
    try {
      verifier = TinkVerifier.forCertificates(trust.cluster(), List.of(parsed));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the certificate of " + client + " holds no usable key: " + e.getMessage(), e);
    }
    synchronized (this) {
      clients.put(proven, new Known(certificate, verifier, parsed));
    }
  }

  @Override
  public void verify(Identity signer, String messageType, byte[] payload, byte[] signature)
      throws SignatureVerificationException {
    if (signer.role() != Role.CLIENT) {
      nodes.verify(signer, messageType, payload, signature);
      return;
    }
    Known known;
    synchronized (this) {
      known = clients.get(signer);
    }
    if (known == null) {
      throw new SignatureVerificationException("no certificate of client " + signer + " is known here");
    }
    try {
      known.parsed().checkValidity(java.util.Date.from(clock.instant()));
    } catch (CertificateException e) {
      throw new SignatureVerificationException("the certificate of client " + signer + " is no longer valid");
    }
    known.verifier().verify(signer, messageType, payload, signature);
  }

  /** Clients known now. */
  public synchronized int size() {
    return clients.size();
  }
}
