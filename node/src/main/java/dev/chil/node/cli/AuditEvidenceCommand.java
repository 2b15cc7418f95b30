package dev.chil.node.cli;

import dev.chil.audit.store.AuditStoreException;
import dev.chil.audit.store.EvidenceRecord;
import dev.chil.audit.store.EvidenceTable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code chil audit evidence}: the equivocation evidence a node kept beside its audit chain. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = {
        "List the equivocation evidence kept beside an audit log.",
        "Per line, as JSON (pbft): the replica, the message type, view and sequence, and the two",
        "different payloads it signed with their signatures (hex), which anyone can check",
        "against the replica's certificate in the log's genesis. Outside every hash; read-only.",
        "Exit codes: 0 listed (possibly nothing), 2 the log cannot be read."})
final class AuditEvidenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "FILE", description = "The audit database (audit.db).")
  Path db;

  @Override
  public Integer call() {
    List<EvidenceRecord> records;
    try {
      records = EvidenceTable.read(db);
    } catch (AuditStoreException e) {
      spec.commandLine().getErr().println("chil: CANNOT READ: " + e.getMessage());
      return AuditCommand.EXIT_UNREADABLE;
    }
    for (EvidenceRecord record : records) {
      spec.commandLine().getOut().println(Json.write(Json.evidence(record)));
    }
    if (records.isEmpty()) {
      spec.commandLine().getErr().println("no evidence in " + db);
    }
    return 0;
  }

}
