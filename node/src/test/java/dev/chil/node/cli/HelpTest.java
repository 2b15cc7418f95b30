package dev.chil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HelpTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--help                | Usage: chil ",
      "certs --help          | Usage: chil certs ",
      "certs dev --help      | Usage: chil certs dev ",
      "demo --help           | Usage: chil demo ",
      "help certs            | Usage: chil certs "})
  void everyCommandHasHelp(String args, String usage) {
    CliRun run = CliRun.of(args.split(" "));

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith(usage);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "certs frobnicate    | Unmatched argument at index 1: 'frobnicate'",
      "--log-format=xml    | Invalid value for option '--log-format'"})
  void aWrongCommandLineIsAUsageError(String args, String message) {
    CliRun run = CliRun.of(args.split(" "));

    assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).startsWith("chil: " + message);
  }
}
