package dev.chil.node.core.paxos.sim;

import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.SignedBytes;
import dev.chil.crypto.Signer;
import dev.chil.crypto.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fast deterministic stand-ins for Ed25519 in the simulator: HMAC-SHA256 over the same
 * {@link SignedBytes} with a secret per node. Only the simulator holds the secrets, so a vote
 * signed by the wrong node (or for another message type or cluster) still fails to verify.
 */
public final class HmacCrypto implements SimCrypto {
  private final String cluster;
  private final TreeMap<String, byte[]> secrets = new TreeMap<>();

  public HmacCrypto(String cluster, Iterable<String> nodes, long seed) {
    this.cluster = cluster;
    for (String node : nodes) {
      secrets.put(node, ("sim-secret/" + seed + "/" + node).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public Signer signer(String node) {
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

  @Override
  public Verifier verifier() {
    TreeMap<String, Mac> macs = new TreeMap<>();
    secrets.forEach((node, secret) -> macs.put(node, mac(secret)));
    return (signer, messageType, payload, signature) -> {
      Mac mac = signer.cluster().equals(cluster) ? macs.get(signer.name()) : null;
      if (mac == null) {
        throw new SignatureVerificationException("unknown signer " + signer);
      }
      byte[] expected = mac.doFinal(SignedBytes.of(cluster, messageType, payload));
      if (!MessageDigest.isEqual(expected, signature)) {
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
