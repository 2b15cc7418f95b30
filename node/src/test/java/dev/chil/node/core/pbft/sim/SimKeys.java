package dev.chil.node.core.pbft.sim;

import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.SignedBytes;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fast deterministic stand-ins for Ed25519 in the PBFT simulator: HMAC-SHA256 over the real
 * {@link SignedBytes}, one secret per identity (nodes and clients alike, keyed by the full SPIFFE
 * id so a client named like a node is another signer). Only the simulator holds the secrets, and a
 * Byzantine replica gets only its own signer: it cannot sign as anyone else.
 */
public final class SimKeys {
  private final String cluster;
  private final long seed;
  // Looked up only, never iterated.
  private final HashMap<Identity, Mac> macs = new HashMap<>();

  public SimKeys(String cluster, long seed) {
    this.cluster = cluster;
    this.seed = seed;
  }

  public Signer signer(Identity identity) {
    Mac mac = mac(identity);
    return new Signer() {
      @Override
      public Identity identity() {
        return identity;
      }

      @Override
      public byte[] sign(String messageType, byte[] payload) {
        return mac.doFinal(SignedBytes.of(cluster, messageType, payload));
      }
    };
  }

  public Verifier verifier() {
    return (signer, messageType, payload, signature) -> {
      if (!signer.cluster().equals(cluster)) {
        throw new SignatureVerificationException("unknown signer " + signer);
      }
      byte[] expected = mac(signer).doFinal(SignedBytes.of(cluster, messageType, payload));
      if (!MessageDigest.isEqual(expected, signature)) {
        throw new SignatureVerificationException("bad signature of " + signer);
      }
    };
  }

  private Mac mac(Identity identity) {
    return macs.computeIfAbsent(identity, id -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(("pbft-sim/" + seed + "/" + id.spiffeId()).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every JDK has HmacSHA256", e);
      }
    });
  }
}
