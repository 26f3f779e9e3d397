package io.uctrust.desired;

import java.util.List;

/** The kinds of desired-state document, with the spec record each one binds to. */
public enum Kind {
  @Spelling("Cluster") CLUSTER(ClusterSpec.class),
  @Spelling("Capf") CAPF(CapfSpec.class),
  @Spelling("TrustStore") TRUST_STORE(TrustStoreSpec.class),
  @Spelling("Certificate") CERTIFICATE(CertificateSpec.class),
  @Spelling("PhoneCertificatePolicy") PHONE_CERTIFICATE_POLICY(PhoneCertificatePolicySpec.class),
  @Spelling("SipOAuth") SIP_OAUTH(SipOAuthSpec.class),
  @Spelling("Monitoring") MONITORING(MonitoringSpec.class);

  private final Class<?> specType;

  Kind(Class<?> specType) {
    this.specType = specType;
  }

  /** The spelling in {@code kind:}. */
  public String yaml() {
    return Spelling.Of.yaml(this);
  }

  public Class<?> specType() {
    return specType;
  }

  /** File name of this kind's JSON Schema in {@code schemas/}. */
  public String schemaFile() {
    return yaml().toLowerCase(java.util.Locale.ROOT) + ".schema.json";
  }

  public static List<String> spellings() {
    return Spelling.Of.all(Kind.class);
  }
}
