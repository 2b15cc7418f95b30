package dev.chil.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyIdentityPatternTest {
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
      "billing, billing, true",
      "billing, billing2, false",
      "billing, billin, false",
      "billing-*, billing-, true",
      "billing-*, billing-eu-1, true",
      "billing-*, billing, false",
      "*, anyone, true",
      "*-eu, billing-eu, true",
      "*-eu, billing-eu-1, false",
      "a*b*c, abc, true",
      "a*b*c, aXbYbZc, true",
      "a*b*c, aXbYbZ, false",
      "a*b, aXbYb, true",
      "a**b, ab, true",
      "a.b, aXb, false",
      "*x*, yyy, false"})
  void starMatchesAnyRunOfCharactersAndNothingElseIsSpecial(String glob, String name, boolean matches) {
    assertThat(IdentityPattern.globMatches(glob, name)).isEqualTo(matches);
    IdentityPattern pattern = IdentityPattern.parse("spiffe://test/client/" + glob, "test");
    assertThat(pattern.matches("spiffe://test/client/" + name)).isEqualTo(matches);
  }

  @Test
  void aPatternNeverReachesAnotherClusterOrRole() {
    IdentityPattern everyone = IdentityPattern.parse("spiffe://test/client/*", "test");

    assertThat(everyone.matches("spiffe://test/client/alice")).isTrue();
    assertThat(everyone.matches("spiffe://test/node/node-1")).isFalse();
    assertThat(everyone.matches("spiffe://other/client/alice")).isFalse();
    assertThat(everyone.matches("spiffe://test/client/")).isTrue();
  }

  @Test
  void theClusterAndRoleCannotBeGlobbed() {
    assertThatThrownBy(() -> IdentityPattern.parse("spiffe://*/client/alice", "test"))
        .hasMessageContaining("is not a client of this cluster");
    assertThatThrownBy(() -> IdentityPattern.parse("spiffe://test/*/alice", "test"))
        .hasMessageContaining("is not a client of this cluster");
    assertThatThrownBy(() -> IdentityPattern.parse("spiffe://test/client/", "test"))
        .hasMessageContaining("the name must be 1-63 characters");
    assertThatThrownBy(() -> IdentityPattern.parse("spiffe://test/client/a?", "test"))
        .hasMessageContaining("the name must be 1-63 characters");
  }
}
