package dev.chil.bench;

import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignedBytes;
import dev.chil.crypto.TinkVerifier;
import dev.chil.crypto.Verifier;
import dev.chil.crypto.pki.CertificateAuthority;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ed25519 sign and verify of a 256-byte message through the node's own Signer and Verifier
 * (Tink), with the JDK and BouncyCastle verifying the same signature as baselines, so the cost
 * of the choice of library reads as a ratio from one run.
 *
 * <pre>java -jar bench/target/benchmarks.jar SignatureBench -f 1 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBench {
  private static final String TYPE = "chil.vote.v1";

  private Credentials node;
  private Verifier verifier;
  private byte[] payload;
  private byte[] signature;
  private byte[] signedBytes;
  private Signature jdkVerify;
  private Ed25519Signer bouncyCastleVerify;

  @Setup
  public void setUp() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority authority = CertificateAuthority.create("bench CA", now, now.plus(Duration.ofDays(1)));
    node = authority.issue(Identity.node("bench", "node-1"), now, now.plus(Duration.ofDays(1)));
    verifier = TinkVerifier.forCertificates("bench", List.of(node.certificate()));
    payload = new byte[256];
    new Random(42).nextBytes(payload);
    signature = node.signer().sign(TYPE, payload);
    signedBytes = SignedBytes.of("bench", TYPE, payload);

    jdkVerify = Signature.getInstance("Ed25519");
    jdkVerify.initVerify(node.certificate().getPublicKey());
    byte[] encoded = node.certificate().getPublicKey().getEncoded();
    byte[] raw = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    bouncyCastleVerify = new Ed25519Signer();
    bouncyCastleVerify.init(false, new Ed25519PublicKeyParameters(raw, 0));
  }

  @Benchmark
  public byte[] tinkSign() {
    return node.signer().sign(TYPE, payload);
  }

  @Benchmark
  public boolean tinkVerify() throws Exception {
    verifier.verify(node.identity(), TYPE, payload, signature);
    return true;
  }

  @Benchmark
  public boolean jdkVerifyBaseline() throws Exception {
    jdkVerify.update(signedBytes);
    return jdkVerify.verify(signature);
  }

  @Benchmark
  public boolean bouncyCastleVerifyBaseline() {
    bouncyCastleVerify.update(signedBytes, 0, signedBytes.length);
    return bouncyCastleVerify.verifySignature(signature);
  }
}
