package dev.chil.node.cli;

import dev.chil.audit.verify.AuditVerifier;
import dev.chil.audit.verify.VerificationResult;
import dev.chil.crypto.CryptoFileException;
import dev.chil.crypto.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code chil audit verify}: checks one log against the cluster CA. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify an audit log against the cluster CA.",
        "Checks the roster's certificates against the CA, every link and hash, every slot's",
        "quorum certificate and every signed head. Prints OK with the entry count and head hash,",
        "or the first bad index and why.",
        "Exit codes: 0 valid, 1 invalid, 2 cannot read (missing, empty, not SQLite, wrong schema version)."})
final class AuditVerifyCommand implements Callable<Integer> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "FILE", description = "The audit database (audit.db).")
  Path db;

  @Option(names = "--ca", required = true, paramLabel = "CA.crt", description = "The cluster CA certificate (PEM).")
  Path ca;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    VerificationResult result;
    try {
      List<X509Certificate> certificates = PemFiles.readCertificates(ca);
      result = AuditVerifier.verify(db, certificates.get(0), AuditVerifier.Options.full());
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
