package io.uctrust.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a desired-state folder says, as loaded documents in file order. Immutable.
 *
 * <p>Not for: deciding whether the input is valid; a state can hold documents that rules still reject.
 */
public record DesiredState(Path root, List<Document<?>> documents) {

  public DesiredState {
    documents = List.copyOf(documents);
  }

  /** The documents of one kind, typed. */
  @SuppressWarnings("unchecked")
  public <S> List<Document<S>> of(Kind kind, Class<S> spec) {
    if (kind.specType() != spec) {
      throw new IllegalArgumentException(kind + " does not bind to " + spec.getSimpleName());
    }
    return documents.stream().filter(d -> d.kind() == kind).map(d -> (Document<S>) d).toList();
  }

  public List<Document<ClusterSpec>> clusters() {
    return of(Kind.CLUSTER, ClusterSpec.class);
  }

  /** The only Cluster document, when there is exactly one. */
  public Optional<Document<ClusterSpec>> cluster() {
    List<Document<ClusterSpec>> clusters = clusters();
    return clusters.size() == 1 ? Optional.of(clusters.get(0)) : Optional.empty();
  }

  public List<Document<CapfSpec>> capf() {
    return of(Kind.CAPF, CapfSpec.class);
  }

  public List<Document<TrustStoreSpec>> trustStores() {
    return of(Kind.TRUST_STORE, TrustStoreSpec.class);
  }

  public List<Document<CertificateSpec>> certificates() {
    return of(Kind.CERTIFICATE, CertificateSpec.class);
  }

  public List<Document<PhoneCertificatePolicySpec>> phonePolicies() {
    return of(Kind.PHONE_CERTIFICATE_POLICY, PhoneCertificatePolicySpec.class);
  }

  public List<Document<SipOAuthSpec>> sipOAuth() {
    return of(Kind.SIP_OAUTH, SipOAuthSpec.class);
  }

  public List<Document<MonitoringSpec>> monitoring() {
    return of(Kind.MONITORING, MonitoringSpec.class);
  }
}
