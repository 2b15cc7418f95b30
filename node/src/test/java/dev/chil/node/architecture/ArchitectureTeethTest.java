package dev.chil.node.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.chil.audit.archteeth.AuditKnowsNode;
import dev.chil.audit.chain.archteeth.ChainUsesSqlite;
import dev.chil.audit.store.archteeth.StoreKnowsVerifier;
import dev.chil.node.core.archteeth.ImpureCore;
import dev.chil.crypto.archteeth.CryptoKnowsAudit;
import dev.chil.node.runtime.archteeth.GrpcDriver;
import dev.chil.node.storage.archteeth.StorageKnowsAssembly;
import org.junit.jupiter.api.Test;

/**
 * Every rule bites: each is checked against a deliberately violating class in test sources (in
 * the package the rule guards) and must reject it, naming the forbidden dependency. The same was
 * seen by planting such imports in main code by hand.
 */
class ArchitectureTeethTest {
  private static final JavaClasses IMPURE_CORE = new ClassFileImporter().importClasses(ImpureCore.class);
  private static final JavaClasses GRPC_DRIVER = new ClassFileImporter().importClasses(GrpcDriver.class);
  private static final JavaClasses AUDIT_KNOWS_NODE = new ClassFileImporter().importClasses(AuditKnowsNode.class);
  private static final JavaClasses CHAIN_USES_SQLITE = new ClassFileImporter().importClasses(ChainUsesSqlite.class);
  private static final JavaClasses STORE_KNOWS_VERIFIER = new ClassFileImporter().importClasses(StoreKnowsVerifier.class);
  private static final JavaClasses CRYPTO_KNOWS_AUDIT = new ClassFileImporter().importClasses(CryptoKnowsAudit.class);
  private static final JavaClasses STORAGE_KNOWS_ASSEMBLY =
      new ClassFileImporter().importClasses(StorageKnowsAssembly.class);

  @Test
  void aCoreThatKnowsTheDriverIsRejected() {
    rejects(ArchitectureRules.CORES_DEPEND_ONLY_ON_JAVA_THEMSELVES_SHARED_RECORDS_AND_SIGNATURES, IMPURE_CORE,
        "dev.chil.node.runtime.Driver");
  }

  @Test
  void aCoreWithAClockAThreadOrAHashMapIsRejected() {
    ArchRule rule = ArchitectureRules.CORES_USE_NO_CLOCK_THREAD_RANDOMNESS_IO_OR_HASH_ORDER;
    rejects(rule, IMPURE_CORE, "java.time.Clock");
    rejects(rule, IMPURE_CORE, "java.lang.Thread");
    rejects(rule, IMPURE_CORE, "java.util.HashMap");
    rejects(rule, IMPURE_CORE, "System.nanoTime()");
  }

  @Test
  void aDriverThatKnowsGrpcOrStorageIsRejected() {
    rejects(ArchitectureRules.NOTHING_BELOW_THE_ASSEMBLY_KNOWS_GRPC, GRPC_DRIVER, "io.grpc.Status");
    rejects(ArchitectureRules.THE_DRIVER_KNOWS_NO_ADAPTER, GRPC_DRIVER, "dev.chil.node.storage.PaxosStateStore");
  }

  @Test
  void anAuditClassThatKnowsTheNodeIsRejected() {
    rejects(ArchitectureRules.AUDIT_AND_CRYPTO_KNOW_NO_NODE, AUDIT_KNOWS_NODE, "dev.chil.node.core.common.Replica");
  }

  @Test
  void cryptoThatKnowsTheAuditLogIsRejected() {
    rejects(ArchitectureRules.CRYPTO_KNOWS_NO_AUDIT, CRYPTO_KNOWS_AUDIT, "dev.chil.audit.chain.Command");
  }

  @Test
  void storageThatReachesUpToTheAssemblyOrTheDriverIsRejected() {
    rejects(ArchitectureRules.LAYERS_POINT_ONE_WAY, STORAGE_KNOWS_ASSEMBLY, "dev.chil.node.assembly.Recovery");
    rejects(ArchitectureRules.LAYERS_POINT_ONE_WAY, STORAGE_KNOWS_ASSEMBLY, "dev.chil.node.runtime.DurableStore");
    rejects(ArchitectureRules.LAYERS_POINT_ONE_WAY, STORAGE_KNOWS_ASSEMBLY, "dev.chil.node.cli.Main");
  }

  @Test
  void anAuditChainThatReadsSqliteIsRejected() {
    rejects(ArchitectureRules.THE_AUDIT_CHAIN_IS_PURE, CHAIN_USES_SQLITE, "java.sql.Connection");
  }

  @Test
  void anAuditStoreThatLeansOnTheVerifierIsRejected() {
    rejects(ArchitectureRules.THE_AUDIT_STORE_NEEDS_NO_VERIFIER, STORE_KNOWS_VERIFIER,
        "dev.chil.audit.verify.VerificationResult");
  }

  private static void rejects(ArchRule rule, JavaClasses classes, String forbidden) {
    assertThatThrownBy(() -> rule.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(forbidden);
  }
}
