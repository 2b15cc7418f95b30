package dev.chil.node.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The main code of every module on the node's class path keeps {@link ArchitectureRules}. */
class ArchitectureTest {
  private static JavaClasses mainCode;

  @BeforeAll
  static void importMainCode() {
    mainCode = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.chil");
  }

  @Test
  void seesTheMainCodeOfEveryModuleItJudges() {
    // A module missing from the import would make its rules pass by checking nothing.
    for (String module : List.of("dev.chil.crypto", "dev.chil.audit.chain", "dev.chil.audit.store",
        "dev.chil.audit.verify", "dev.chil.node.core", "dev.chil.node.runtime",
        "dev.chil.node.storage", "dev.chil.node.transport", "dev.chil.node.assembly")) {
      assertThat(mainCode.stream().filter(type -> type.getPackageName().startsWith(module)).count())
          .as("classes of %s", module).isPositive();
    }
    assertThat(mainCode.stream().filter(type -> type.getSource().map(source -> source.getUri().toString()
        .contains("test-classes")).orElse(false))).as("no test classes").isEmpty();
  }

  @Test
  void coresDependOnlyOnJavaThemselvesTheSharedRecordsAndTheSignatureInterfaces() {
    ArchitectureRules.CORES_DEPEND_ONLY_ON_JAVA_THEMSELVES_SHARED_RECORDS_AND_SIGNATURES.check(mainCode);
  }

  @Test
  void coresUseNoClockThreadRandomnessIoOrHashOrder() {
    ArchitectureRules.CORES_USE_NO_CLOCK_THREAD_RANDOMNESS_IO_OR_HASH_ORDER.check(mainCode);
  }

  @Test
  void nothingBelowTheAssemblyKnowsGrpc() {
    ArchitectureRules.NOTHING_BELOW_THE_ASSEMBLY_KNOWS_GRPC.check(mainCode);
  }

  @Test
  void theDriverKnowsNoAdapter() {
    ArchitectureRules.THE_DRIVER_KNOWS_NO_ADAPTER.check(mainCode);
  }

  @Test
  void layersPointOneWay() {
    ArchitectureRules.LAYERS_POINT_ONE_WAY.check(mainCode);
  }

  @Test
  void auditAndCryptoKnowNoNode() {
    ArchitectureRules.AUDIT_AND_CRYPTO_KNOW_NO_NODE.check(mainCode);
  }

  @Test
  void cryptoKnowsNoAudit() {
    ArchitectureRules.CRYPTO_KNOWS_NO_AUDIT.check(mainCode);
  }

  @Test
  void theAuditChainIsPure() {
    ArchitectureRules.THE_AUDIT_CHAIN_IS_PURE.check(mainCode);
  }

  @Test
  void theAuditStoreNeedsNoVerifier() {
    ArchitectureRules.THE_AUDIT_STORE_NEEDS_NO_VERIFIER.check(mainCode);
  }
}
