package io.uctrust.validate;

import java.util.List;

/** Every rule, in the order their findings are most useful to read. */
final class Rules {
  private Rules() {}

  static final List<Rule> ALL = List.of(
      new DocumentRules(),
      new SecretRules(),
      new ClusterRules(),
      new CapfRules(),
      new TrustStoreRules(),
      new CertificateRules(),
      new PhonePolicyRules(),
      new SipOAuthRules(),
      new MonitoringRules());
}
