package dev.chil.node.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Set;

/**
 * What each part of the code may depend on, as ArchUnit rules: the cores are pure, the driver
 * knows no adapter, nothing under the assembly knows gRPC, and the layers point one way
 * (cli, assembly, then transport and storage, runtime, core; audit and crypto below the node).
 * The audit module's packages keep their own shape: the chain is pure, the store does not need
 * the verifier.
 */
final class ArchitectureRules {
  private ArchitectureRules() {}

  private static final String CORE = "dev.chil.node.core..";

  /** The audit types the cores share: agreed content and certificates, no storage. */
  private static final Set<String> SHARED_AUDIT_RECORDS =
      Set.of("Command", "QuorumCertificate", "Vote", "VoteStatement", "SlotDigest");
  /** The signature interfaces and what they need (an identity and its role); never Tink itself. */
  private static final Set<String> SIGNATURE_TYPES =
      Set.of("Signer", "Verifier", "Identity", "Role", "SignatureVerificationException");

  private static DescribedPredicate<JavaClass> named(String packagePattern, Set<String> simpleNames, String what) {
    return describe(what, type -> resideInAPackage(packagePattern).test(type) && simpleNames.contains(type.getSimpleName()));
  }

  private static final DescribedPredicate<JavaClass> ARRAY_OR_PRIMITIVE =
      describe("arrays and primitives", type -> type.isArray() || type.isPrimitive());

  static final ArchRule CORES_DEPEND_ONLY_ON_JAVA_THEMSELVES_SHARED_RECORDS_AND_SIGNATURES = classes()
      .that().resideInAPackage(CORE)
      .should().onlyDependOnClassesThat(resideInAnyPackage("java..", CORE)
          .or(named("dev.chil.audit.chain", SHARED_AUDIT_RECORDS, "the shared audit records"))
          .or(named("dev.chil.crypto", SIGNATURE_TYPES, "the Signer/Verifier interfaces"))
          .or(describe("protobuf's ByteString", type -> type.getName().equals("com.google.protobuf.ByteString")))
          .or(ARRAY_OR_PRIMITIVE))
      .because("a core is a pure function of its inputs (DESIGN.md, three rings)");

  static final ArchRule CORES_USE_NO_CLOCK_THREAD_RANDOMNESS_IO_OR_HASH_ORDER = CompositeArchRule.of(
      noClasses().that().resideInAPackage(CORE)
          .should().dependOnClassesThat(resideInAnyPackage("java.time..", "java.util.concurrent..", "java.io..",
              "java.nio.file..", "java.net..", "java.sql..", "org.sqlite..", "com.google.crypto.tink..", "io.grpc..")
              .or(describe("Thread, Random, SecureRandom, HashMap or HashSet", type -> Set.of(
                  "java.lang.Thread", "java.util.Random", "java.security.SecureRandom", "java.util.HashMap",
                  "java.util.HashSet").contains(type.getName()))))
          .because("time comes in as a tick, randomness from the seed, and only ordered maps are iterated"))
      .and(noClasses().that().resideInAPackage(CORE)
          .should().callMethod(System.class, "nanoTime")
          .orShould().callMethod(System.class, "currentTimeMillis")
          .orShould().callMethod(Math.class, "random")
          .because("a core reads no clock and draws no unseeded randomness"));

  static final ArchRule NOTHING_BELOW_THE_ASSEMBLY_KNOWS_GRPC = noClasses()
      .that().resideInAnyPackage(CORE, "dev.chil.node.runtime..", "dev.chil.node.storage..", "dev.chil.node.codec..",
          "dev.chil.node.statemachine..", "dev.chil.node.failure..", "dev.chil.node.config..",
          "dev.chil.node.discovery..", "dev.chil.node.policy..", "dev.chil.audit..", "dev.chil.crypto")
      .should().dependOnClassesThat().resideInAPackage("io.grpc..")
      .because("gRPC is one adapter (transport), wired by the assembly");

  static final ArchRule THE_DRIVER_KNOWS_NO_ADAPTER = noClasses()
      .that().resideInAPackage("dev.chil.node.runtime..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.chil.node.assembly..", "dev.chil.node.cli..",
          "dev.chil.node.transport..", "dev.chil.node.storage..", "dev.chil.node.codec..", "dev.chil.node.config..",
          "dev.chil.node.discovery..", "java.sql..", "org.sqlite..", "com.google.crypto.tink..", "io.grpc..")
      .because("the driver steps the core through interfaces (DurableStore, Outbox); adapters are replaceable");

  static final ArchRule LAYERS_POINT_ONE_WAY = CompositeArchRule.of(
      noClasses().that().resideOutsideOfPackage("dev.chil.node.cli..")
          .should().dependOnClassesThat().resideInAPackage("dev.chil.node.cli..")
          .because("the CLI is the outermost edge"))
      .and(noClasses().that().resideInAnyPackage(CORE, "dev.chil.node.runtime..", "dev.chil.node.storage..",
              "dev.chil.node.transport..", "dev.chil.node.codec..", "dev.chil.node.statemachine..",
              "dev.chil.node.failure..", "dev.chil.node.discovery..", "dev.chil.node.config..",
              "dev.chil.node.policy..")
          .should().dependOnClassesThat().resideInAPackage("dev.chil.node.assembly..")
          .because("the assembly wires the parts; no part reaches back up to it"))
      .and(noClasses().that().resideInAnyPackage("dev.chil.node.storage..", "dev.chil.node.transport..")
          .should().dependOnClassesThat().resideInAPackage("dev.chil.node.runtime..")
          .because("adapters serve the driver through its interfaces, wired by the assembly"));

  static final ArchRule AUDIT_AND_CRYPTO_KNOW_NO_NODE = noClasses()
      .that().resideInAnyPackage("dev.chil.audit..", "dev.chil.crypto..")
      .should().dependOnClassesThat().resideInAPackage("dev.chil.node..")
      .because("node -> audit -> crypto -> proto: the audit log and crypto know nothing of consensus");

  static final ArchRule CRYPTO_KNOWS_NO_AUDIT = noClasses()
      .that().resideInAPackage("dev.chil.crypto..")
      .should().dependOnClassesThat().resideInAPackage("dev.chil.audit..")
      .because("crypto is below audit");

  static final ArchRule THE_AUDIT_CHAIN_IS_PURE = noClasses()
      .that().resideInAPackage("dev.chil.audit.chain..")
      .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "org.sqlite..", "java.nio.file..",
              "java.util.concurrent..", "dev.chil.audit.store..", "dev.chil.audit.verify..")
          .or(describe("files and clocks", type -> Set.of("java.io.File", "java.io.FileInputStream",
              "java.io.FileOutputStream", "java.io.RandomAccessFile", "java.time.Clock", "java.lang.Thread")
              .contains(type.getName()))))
      .because("hashing, canonical bytes and certificate checks are pure, apart from storage and verification");

  static final ArchRule THE_AUDIT_STORE_NEEDS_NO_VERIFIER = noClasses()
      .that().resideInAPackage("dev.chil.audit.store..")
      .should().dependOnClassesThat().resideInAPackage("dev.chil.audit.verify..")
      .because("the writer checks each certificate with the chain's code; verify, compare and export read its files");
}
