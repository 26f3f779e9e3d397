package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import java.time.Clock;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/** What the sub-planners share: inputs, the clock, and the drafts and notes they produce. */
final class PlanContext {
  final ResolvedDesired desired;
  final Document<ClusterSpec> cluster;
  final ObservedCluster observed;
  final Clock clock;
  final List<Change> drafts = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  /** Set the operation again on phones whose last attempt with the same settings failed. */
  boolean retryFailedPhones;
  /** What this machine saw of the online CA the desired state names; null when not probed. */
  io.uctrust.capf.OnlineCaClient.Probe onlineCaProbe;
  /** Certificates known revoked, by SHA-256; CA-signed identities among them are issued anew. */
  java.util.Map<String, io.uctrust.pki.Revocation> revoked = java.util.Map.of();

  PlanContext(ResolvedDesired desired, Document<ClusterSpec> cluster, ObservedCluster observed, Clock clock) {
    this.desired = desired;
    this.cluster = cluster;
    this.observed = observed;
    this.clock = clock;
  }

  /** Documents of the cluster being planned (one cluster, or those naming it in metadata.cluster). */
  <S> List<Document<S>> documents(List<Document<S>> all) {
    return desired.forCluster(all, cluster.name());
  }

  /** The cluster's Capf document, if the desired state has one. */
  Optional<Document<CapfSpec>> capf() {
    return documents(desired.state().capf()).stream().findFirst();
  }

  /** The CAPF issuer mode that applies: the Capf document's, else the cluster's. */
  CapfSpec.CapfIssuer capfIssuer() {
    return capf().map(d -> d.spec().issuer()).orElse(observed.capf().issuer());
  }

  /**
   * SHA-256 fingerprints of the publisher's CAPF-trust once this plan's uploads (drafted so far) are done: what
   * CAPF will trust when the phase that needs it runs.
   */
  Set<String> capfTrustAfterPlan() {
    Set<String> trusted = new HashSet<>();
    publisher().ifPresent(p -> p.trust().stream().filter(t -> t.store() == Store.CAPF_TRUST)
        .forEach(t -> trusted.add(t.certificate().sha256())));
    for (Change change : drafts) {
      for (Operation operation : change.operations()) {
        if (operation instanceof Operation.UploadTrust upload && upload.store() == Store.CAPF_TRUST) {
          trusted.add(CertificateFacts.of(Pem.certificate(upload.pem())).sha256());
        }
      }
    }
    return trusted;
  }

  Optional<ObservedCluster.Node> node(String name) {
    return observed.nodes().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  Optional<ObservedCluster.Node> publisher() {
    return observed.nodes().stream().filter(n -> n.role() == ClusterSpec.NodeRole.CUCM_PUBLISHER).findFirst();
  }

  void add(Phase phase, Action action, String resource, String address, String before, String after, String reason,
      String source, Impact impact, List<String> phones, List<Operation> operations) {
    drafts.add(new Change(0, phase, action, resource, address, before == null ? "" : before, after == null ? "" : after,
        reason, source == null ? "" : source, impact, phones, operations));
  }

  void add(Phase phase, Action action, String resource, String address, String before, String after, String reason,
      String source, Impact impact, Operation operation) {
    add(phase, action, resource, address, before, after, reason, source, impact, List.of(), List.of(operation));
  }
}
