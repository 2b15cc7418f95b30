package dev.chil.node.policy;

import static dev.chil.node.policy.PolicySamples.LIMITS;
import static dev.chil.node.policy.PolicySamples.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyAccessControlTest {
  private static final String RULES = """
        rules:
          - name: billing
            identities: ["spiffe://test/client/billing-*"]
            propose: ["billing/"]
            read: ["billing/", "shared/"]
          - name: auditors
            identities: ["spiffe://test/client/auditor"]
            propose: []
            read: [""]
          - name: billing-admin
            identities: ["spiffe://test/client/billing-admin"]
            propose: [""]
            read: [""]
      """;

  private static AccessControl access(String defaultAccess) throws PolicyException {
    return parse(LIMITS + "access:\n  default: " + defaultAccess + "\n" + RULES).access();
  }

  @Test
  void aMatchingRuleAllowsItsPrefixesOnly() throws Exception {
    AccessControl access = access("allow");

    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.PROPOSE, "billing/17")).isEmpty();
    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.READ, "shared/rates")).isEmpty();
    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.PROPOSE, "shared/rates")).contains(
        "access rule 'billing' lets spiffe://test/client/billing-eu propose only keys starting with ['billing/']");
    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.READ, "orders/1")).contains(
        "access rule 'billing' lets spiffe://test/client/billing-eu read only keys starting with ['billing/',"
            + " 'shared/']");
    assertThat(access.denial("spiffe://test/client/auditor", Operation.READ, "anything")).isEmpty();
    assertThat(access.denial("spiffe://test/client/auditor", Operation.PROPOSE, "anything"))
        .contains("access rule 'auditors' lets spiffe://test/client/auditor propose no keys");
  }

  @Test
  void theFirstMatchingRuleDecidesAloneEvenIfALaterOneWouldAllow() throws Exception {
    assertThat(access("allow").denial("spiffe://test/client/billing-admin", Operation.PROPOSE, "orders/1"))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("access rule 'billing' "));
  }

  @Test
  void aCallerNoRuleMatchesGetsTheDefault() throws Exception {
    assertThat(access("allow").denial("spiffe://test/client/alice", Operation.PROPOSE, "orders/1")).isEmpty();
    assertThat(access("deny").denial("spiffe://test/client/alice", Operation.READ, "orders/1"))
        .contains("no access rule matches spiffe://test/client/alice, and access.default is deny");
  }

  @Test
  void prefixesAreLiteral() throws Exception {
    AccessControl access = access("deny");

    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.PROPOSE, "billing")).isPresent();
    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.PROPOSE, "billing/")).isEmpty();
    assertThat(access.denial("spiffe://test/client/billing-eu", Operation.PROPOSE, "Billing/1")).isPresent();
  }
}
