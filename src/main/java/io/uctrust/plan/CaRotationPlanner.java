package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.IssuerType;
import io.uctrust.desired.Document;
import io.uctrust.desired.TimeAmount;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last phase of rotating an issuing CA ({@code spec.issuer.previousCaCertificates}). The phases before it come
 * from {@link IdentityPlanner}: the new CA ({@code caCertificates}) goes into the service's trust store, and the
 * identities issued under the previous CA are issued anew ("CA rotation: issued by the previous CA ..."). Here each
 * previous CA certificate is removed from the service's trust store on every node once
 *
 * <ol>
 *   <li>no identity of the document, on any of its nodes, is still issued under it;
 *   <li>{@code rotationOverlap} (default 30d) has passed since the switch: the earliest start of validity of the
 *       document's current identities issued under the new CA, so the time comes from the observed certificates and
 *       the plan stays a function of its inputs;
 *   <li>it is not the new CA too, and no other Certificate document's {@code caCertificates} nor any TrustStore
 *       document lists it.
 * </ol>
 *
 * While the overlap runs, a note says when the previous CA leaves.
 */
final class CaRotationPlanner {

  static final Duration DEFAULT_OVERLAP = Duration.ofDays(30);

  void plan(PlanContext context) {
    for (Document<CertificateSpec> doc : context.documents(context.desired.state().certificates())) {
      CertificateSpec.Issuer issuer = doc.spec().issuer();
      if (issuer.type() == IssuerType.SELF_SIGNED || issuer.previousCaCertificates() == null) {
        continue;
      }
      List<X509Certificate> retiring = retiring(context, doc);
      if (retiring.isEmpty()) {
        continue;
      }
      List<ObservedCluster.Node> nodes = IdentityPlanner.nodes(context, doc.spec());
      List<X509Certificate> cas = IdentityPlanner.cas(context, doc);
      List<X509Certificate> previous = IdentityPlanner.cas(context, doc, issuer.previousCaCertificates());
      Store store = doc.spec().service().trustStore();
      Instant switched = null;
      boolean stillUnderPrevious = false;
      for (ObservedCluster.Node node : nodes) {
        ObservedCluster.Identity identity = IdentityPlanner.identity(node, doc.spec());
        if (identity == null || identity.selfSigned()) {
          continue;
        }
        ObservedCluster.Certificate c = identity.certificate();
        if (IdentityPlanner.issuedUnder(c, cas, node, store)) {
          switched = switched == null || c.notBefore().isBefore(switched) ? c.notBefore() : switched;
        } else if (IdentityPlanner.issuedUnder(c, previous, node, store)) {
          stillUnderPrevious = true;
        }
      }
      // the identity changes of this plan show the switch; nothing switched yet, nothing to wait for
      if (stillUnderPrevious || switched == null) {
        continue;
      }
      Duration overlap = overlap(issuer);
      Instant leaves = switched.plus(overlap);
      boolean due = !context.clock.instant().isBefore(leaves);
      for (X509Certificate ca : retiring) {
        ObservedCluster.Certificate certificate = Snapshots.certificate(Pem.encode(ca));
        boolean present = false;
        for (ObservedCluster.Node node : context.observed.nodes()) {
          ObservedCluster.TrustEntry entry = node.trust().stream()
              .filter(t -> t.store() == store && t.certificate().sha256().equals(certificate.sha256())).findFirst()
              .orElse(null);
          if (entry == null) {
            continue;
          }
          present = true;
          if (due && !removalDrafted(context, node, store, certificate)) {
            context.add(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate",
                TrustPlanner.address(node, store, entry.certificate()), TrustPlanner.describe(entry.certificate()), "",
                "CA rotation: " + doc.address() + " retires " + certificate.subject() + "; no identity of it is issued "
                    + "under it any more and the overlap of " + overlapText(issuer) + " after the switch on "
                    + day(switched) + " has passed", context.desired.source(doc, "spec.issuer.previousCaCertificates"),
                Impact.restarting(Restarts.afterTrust(store, node)),
                new Operation.RemoveTrust(node.name(), store, certificate.sha256(), certificate.subject()));
          }
        }
        if (present && !due) {
          context.notes.add(doc.address() + ": CA rotation — old CA " + certificate.subject() + " leaves " + store.yaml()
              + " on " + day(leaves) + " (overlap " + overlapText(issuer) + " after the switch on " + day(switched) + ")");
        }
      }
    }
  }

  /**
   * The subject of the previous CA {@code c} is issued under (the document being in rotation, and {@code c} not
   * from the new CA), or null.
   */
  static String previousIssuer(PlanContext context, Document<CertificateSpec> doc, ObservedCluster.Certificate c,
      ObservedCluster.Node node) {
    if (doc.spec().issuer().previousCaCertificates() == null) {
      return null;
    }
    List<X509Certificate> previous = IdentityPlanner.cas(context, doc, doc.spec().issuer().previousCaCertificates());
    return IdentityPlanner.configuredCa(c, previous, node, doc.spec().service().trustStore());
  }

  /**
   * The previous CA certificates that may leave: not the new CA as well, and listed by no other Certificate
   * document's {@code caCertificates} and no TrustStore document, which still want them trusted.
   */
  private static List<X509Certificate> retiring(PlanContext context, Document<CertificateSpec> doc) {
    Set<String> kept = new HashSet<>();
    for (Document<CertificateSpec> other : context.documents(context.desired.state().certificates())) {
      if (other.spec().issuer() != null && other.spec().issuer().caCertificates() != null) {
        // this document's own caCertificates included: a previous CA that is also the new one stays
        context.desired.certificates(other, other.spec().issuer().caCertificates())
            .forEach(pem -> kept.add(Snapshots.certificate(pem).sha256()));
      }
    }
    for (Document<TrustStoreSpec> trust : context.documents(context.desired.state().trustStores())) {
      for (TrustStoreSpec.TrustCertificate certificate : trust.spec().certificates()) {
        context.desired.certificates(trust, certificate.file()).forEach(pem -> kept.add(Snapshots.certificate(pem).sha256()));
      }
    }
    List<X509Certificate> retiring = new ArrayList<>();
    for (X509Certificate ca : IdentityPlanner.cas(context, doc, doc.spec().issuer().previousCaCertificates())) {
      if (!kept.contains(Snapshots.certificate(Pem.encode(ca)).sha256())) {
        retiring.add(ca);
      }
    }
    return retiring;
  }

  private static Duration overlap(CertificateSpec.Issuer issuer) {
    return issuer.rotationOverlap() == null ? DEFAULT_OVERLAP : issuer.rotationOverlap().duration();
  }

  private static String overlapText(CertificateSpec.Issuer issuer) {
    TimeAmount overlap = issuer.rotationOverlap();
    return overlap == null ? "30d" : overlap.text();
  }

  private static String day(Instant instant) {
    return instant.toString().substring(0, 10);
  }

  private static boolean removalDrafted(PlanContext context, ObservedCluster.Node node, Store store,
      ObservedCluster.Certificate certificate) {
    return context.drafts.stream().anyMatch(c -> c.operations().stream().anyMatch(op -> op instanceof Operation.RemoveTrust r
        && r.node().equals(node.name()) && r.store() == store && r.sha256().equals(certificate.sha256())));
  }
}
