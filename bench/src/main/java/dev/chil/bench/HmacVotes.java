package dev.chil.bench;

import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.SignedBytes;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signers and verifier over the real {@link SignedBytes}: cheap enough that the
 * benchmark measures the Paxos core rather than Ed25519 (whose cost DEPS.md lists).
 */
final class HmacVotes {
  private final String cluster;
  private final TreeMap<String, byte[]> secrets = new TreeMap<>();

  HmacVotes(String cluster, List<String> nodes) {
    this.cluster = cluster;
    for (String node : nodes) {
      secrets.put(node, ("bench/" + node).getBytes(StandardCharsets.UTF_8));
    }
  }

  Signer signer(String node) {
    Identity identity = Identity.node(cluster, node);
    Mac mac = mac(secrets.get(node));
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

  Verifier verifier() {
    TreeMap<String, Mac> macs = new TreeMap<>();
    secrets.forEach((node, secret) -> macs.put(node, mac(secret)));
    return (signer, messageType, payload, signature) -> {
      Mac mac = macs.get(signer.name());
      if (mac == null || !MessageDigest.isEqual(mac.doFinal(SignedBytes.of(cluster, messageType, payload)), signature)) {
        throw new SignatureVerificationException("bad signature of " + signer);
      }
    };
  }

  private static Mac mac(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
