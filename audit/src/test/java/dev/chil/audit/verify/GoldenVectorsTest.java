package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.Problem;
import dev.chil.crypto.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the committed golden vectors (src/test/resources/golden/v2, made by {@link GoldenVectors}):
 * each SQL file rebuilt into a database and verified with ca.pem must give the manifest's verdict,
 * index and problem. A second implementation runs the same files against the same manifest.
 */
class GoldenVectorsTest {
  @TempDir Path directory;

  record Line(String name, String verdict, String pinnedGenesis, String description) {}

  static List<Line> manifest() throws Exception {
    List<Line> lines = new ArrayList<>();
    for (String line : Files.readAllLines(GoldenVectors.DIRECTORY.resolve(GoldenVectors.MANIFEST))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] fields = line.split("\t", -1);
        lines.add(new Line(fields[0], fields[1] + "\t" + fields[2] + "\t" + fields[3], fields[4], fields[5]));
      }
    }
    return lines;
  }

  @TestFactory
  Stream<DynamicTest> everyVectorGivesItsVerdict() throws Exception {
    X509Certificate ca = PemFiles.readCertificates(GoldenVectors.DIRECTORY.resolve("ca.pem")).get(0);
    return manifest().stream().map(line -> DynamicTest.dynamicTest(line.name() + ": " + line.description(), () -> {
      Path file = directory.resolve(line.name() + ".db");
      GoldenVectors.load(Files.readString(GoldenVectors.DIRECTORY.resolve(line.name() + ".sql")), file);
      VerificationResult result = AuditVerifier.verify(file, ca, GoldenVectors.options(line.pinnedGenesis()));
      assertThat(GoldenVectors.verdict(result)).as(result.message()).isEqualTo(line.verdict());
    }));
  }

  @Test
  void theCommittedSetIsTheGeneratorsSet() throws Exception {
    assertThat(manifest()).extracting(Line::name)
        .containsExactlyElementsOf(GoldenVectors.vectors().stream().map(GoldenVectors.Vector::name).toList());
  }

  @Test
  void everyProblemHasAVector() throws Exception {
    Set<String> shown = manifest().stream().map(line -> line.verdict().split("\t")[2]).collect(Collectors.toSet());
    for (Problem problem : EnumSet.allOf(Problem.class)) {
      assertThat(shown).as("a vector for " + problem).contains(problem.name().toLowerCase(Locale.ROOT));
    }
    assertThat(shown).contains("-");
  }
}
