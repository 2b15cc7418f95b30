package dev.chil.node.cli;

import com.google.protobuf.ByteString;
import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.databind.json.JsonMapper;

/** {@code chil audit verify}: checks one log against the cluster CA. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify an audit log against the cluster CA.",
        "Checks that an admin of the CA signed the genesis roster, the roster's certificates, every",
        "link and hash, every slot's quorum certificate and every signed head. Prints OK with the",
        "entry count, head hash and genesis hash, or the first bad index and why.",
        "Exit codes: 0 valid, 1 invalid, 2 cannot read (missing, empty, not SQLite, wrong schema version;",
        "a --ca file that is not exactly one CA certificate) or a usage error (a --genesis that is not 64 hex digits)."})
final class AuditVerifyCommand implements Callable<Integer> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "FILE", description = "The audit database (audit.db).")
  Path db;

  @Option(names = "--ca", required = true, paramLabel = "CA.crt", description = "The cluster CA certificate (PEM).")
  Path ca;

  @Option(names = "--genesis", paramLabel = "HASH", converter = GenesisHash.class,
      description = "Also require this genesis hash (64 hex digits), known from elsewhere: another node, chil roster sign.")
  ByteString genesis;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    AuditVerifier.Options options = AuditVerifier.Options.full();
    if (genesis != null) {
      options = options.pinning(genesis);
    }
    VerificationResult result;
    try {
      result = AuditVerifier.verify(db, caCertificate(ca), options);
    } catch (CryptoFileException e) {
      result = new VerificationResult.Unreadable(e.getMessage());
    }
    if (json) {
      spec.commandLine().getOut().println(JSON.writeValueAsString(toJson(result)));
    } else if (result instanceof VerificationResult.Unreadable) {
      spec.commandLine().getErr().println("chil: " + result.message());
    } else {
      spec.commandLine().getOut().println(result.message());
    }
    return result.exitCode();
  }

  /**
   * The one CA certificate of the {@code --ca} file: exactly one PEM block, a CERTIFICATE, and a
   * CA (basicConstraints CA=true). Anything else is refused before the log is read (exit 2): a
   * verdict resting on a second certificate nobody looks at, or on a leaf, would mean nothing.
   */
  static X509Certificate caCertificate(Path file) throws CryptoFileException {
    List<X509Certificate> certificates = PemFiles.readCertificates(file);
    if (certificates.size() != 1) {
      throw new CryptoFileException(file, "holds " + certificates.size()
          + " certificates; expected exactly one, the cluster CA");
    }
    X509Certificate certificate = certificates.get(0);
    if (certificate.getBasicConstraints() < 0) {
      throw new CryptoFileException(file, "holds '" + certificate.getSubjectX500Principal().getName()
          + "', which is not a CA certificate (basicConstraints CA=true)");
    }
    return certificate;
  }

  /** {@code --genesis}: 64 hex digits, else a usage error (exit 2) naming the value. */
  static final class GenesisHash implements ITypeConverter<ByteString> {
    @Override
    public ByteString convert(String hex) {
      byte[] hash = null;
      try {
        hash = HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        // reported below
      }
      if (hash == null || hash.length != 32) {
        throw new TypeConversionException("'" + hex + "' is not a SHA-256 hash: 64 hex digits");
      }
      return ByteString.copyFrom(hash);
    }
  }

  /** Fields: result (valid|invalid|unreadable), then the result's own; documented in FORMAT.md. */
  private static Map<String, Object> toJson(VerificationResult result) {
    Map<String, Object> object = new LinkedHashMap<>();
    if (result instanceof VerificationResult.Valid valid) {
      object.put("result", "valid");
      object.put("entries", valid.entries());
      object.put("slots", valid.slots());
      object.put("head_index", valid.head().index());
      object.put("head_hash", valid.head().hashHex());
      object.put("signed_heads", valid.signedHeads());
      object.put("genesis_hash", HexFormat.of().formatHex(valid.genesisHash().toByteArray()));
      object.put("admin", valid.admin());
    } else if (result instanceof VerificationResult.Invalid invalid) {
      object.put("result", "invalid");
      object.put("index", invalid.index());
      object.put("problem", invalid.problem().name().toLowerCase(Locale.ROOT));
      object.put("reason", invalid.reason());
    } else if (result instanceof VerificationResult.Unreadable unreadable) {
      object.put("result", "unreadable");
      object.put("reason", unreadable.reason());
    } else {
      throw new AssertionError("unknown result " + result);
    }
    object.put("exit_code", result.exitCode());
    return object;
  }
}
