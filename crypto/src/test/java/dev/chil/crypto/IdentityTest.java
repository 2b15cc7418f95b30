package dev.chil.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityTest {

  @Test
  void parsesNodeAndClientIds() {
    assertThat(Identity.parse("spiffe://prod/node/node-1")).isEqualTo(Identity.node("prod", "node-1"));
    assertThat(Identity.parse("spiffe://prod/client/alice")).isEqualTo(Identity.client("prod", "alice"));
  }

  @Test
  void roundTripsThroughItsSpiffeId() {
    Identity identity = Identity.client("eu.west-1", "svc_a.b");
    assertThat(Identity.parse(identity.spiffeId())).isEqualTo(identity);
    assertThat(identity.spiffeId()).isEqualTo("spiffe://eu.west-1/client/svc_a.b");
  }

  @Test
  void anAdminIsItsOwnRole() {
    Identity admin = Identity.admin("prod", "alice");
    assertThat(admin.spiffeId()).isEqualTo("spiffe://prod/admin/alice");
    assertThat(Identity.parse("spiffe://prod/admin/alice")).isEqualTo(admin);
    assertThat(admin).isNotEqualTo(Identity.client("prod", "alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://prod/node/n1",
      "spiffe://prod/node",
      "spiffe://prod/node/n1/extra",
      "spiffe://prod/operator/n1",
      "spiffe://Prod/node/n1",
      "spiffe:///node/n1",
      "spiffe://prod/node/",
      "spiffe://prod/node/a b",
      "spiffe://prod/node/../etc"})
  void refusesMalformedIds(String spiffeId) {
    assertThatThrownBy(() -> Identity.parse(spiffeId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'");
  }
}
