package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.IssuerType;
import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.desired.Document;
import io.uctrust.desired.Spelling;
import io.uctrust.observed.ObservedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Service identity changes. A self-signed identity is regenerated when it is not self-signed, has
 * another key, lacks a name, or is due for renewal ({@code renewBefore}, {@code renewBeforePercent},
 * default one third of its lifetime). Issuance by a CA, ACME or offline is not implemented yet: such
 * documents yield a note and leave the installed identity alone.
 */
final class IdentityPlanner {

  static final int SELF_SIGNED_DAYS = CertificateSpec.SELF_SIGNED_DAYS;

  void plan(PlanContext context) {
    for (Document<CertificateSpec> doc : context.documents(context.desired.state().certificates())) {
      CertificateSpec spec = doc.spec();
      List<ObservedCluster.Node> nodes = nodes(context, spec);
      if (spec.issuer().type() != IssuerType.SELF_SIGNED) {
        context.notes.add(doc.address() + " (" + context.desired.source(doc, "spec.issuer") + "): issuance by issuer type "
            + Spelling.Of.yaml(spec.issuer().type()) + " is not implemented in this release; the installed "
            + spec.service().yaml() + " identities on " + nodes.size() + " node(s) are left as they are"
            + soonest(context, spec, nodes));
        continue;
      }
      for (ObservedCluster.Node node : nodes) {
        identity(context, doc, node, nodes);
      }
    }
  }

  private static String soonest(PlanContext context, CertificateSpec spec, List<ObservedCluster.Node> nodes) {
    return nodes.stream().flatMap(n -> n.identities().stream().filter(i -> i.service() == spec.service()))
        .map(i -> i.certificate().notAfter()).min(Instant::compareTo)
        .map(t -> " (the first expires in " + Duration.between(context.clock.instant(), t).toDays() + " days)").orElse("");
  }

  static List<ObservedCluster.Node> nodes(PlanContext context, CertificateSpec spec) {
    List<ObservedCluster.Node> nodes = new ArrayList<>();
    for (ObservedCluster.Node node : context.observed.nodes()) {
      boolean hosts = node.identities().stream().anyMatch(i -> i.service() == spec.service());
      if (hosts && (spec.nodes().all() || spec.nodes().names().contains(node.name()))) {
        nodes.add(node);
      }
    }
    return nodes;
  }

  private static void identity(PlanContext context, Document<CertificateSpec> doc, ObservedCluster.Node node,
      List<ObservedCluster.Node> documentNodes) {
    CertificateSpec spec = doc.spec();
    ObservedCluster.Identity current = node.identities().stream().filter(i -> i.service() == spec.service()).findFirst()
        .orElse(null);
    KeyType type = spec.key() != null ? spec.key().type() : spec.service().ecdsa() ? KeyType.EC : KeyType.RSA;
    int size = spec.key() != null && spec.key().size() != null ? spec.key().size() : type == KeyType.EC ? 384 : 2048;
    // Multi-server: one certificate naming every node of the document, its common name the first node.
    boolean multi = spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER;
    Set<String> names = new LinkedHashSet<>();
    names.add(node.name());
    if (multi) {
      documentNodes.forEach(n -> names.add(n.name()));
    }
    names.addAll(spec.subjectAltNames());
    String commonName = spec.commonName() != null ? spec.commonName() : multi ? documentNodes.get(0).name() : node.name();
    List<String> reasons = new ArrayList<>();
    if (current == null) {
      reasons.add("the node has no " + spec.service().yaml() + " identity");
    } else {
      ObservedCluster.Certificate c = current.certificate();
      if (!current.selfSigned()) {
        reasons.add("it is CA-signed, the desired issuer is self-signed");
      }
      String algorithm = type == KeyType.EC ? "EC" : "RSA";
      if (!c.keyAlgorithm().equals(algorithm) || c.keyBits() != size) {
        reasons.add("key is " + c.keyAlgorithm() + " " + c.keyBits() + ", desired " + algorithm + " " + size);
      }
      List<String> missing = names.stream().filter(n -> c.dnsNames().stream().noneMatch(d -> d.equalsIgnoreCase(n))).toList();
      if (!missing.isEmpty()) {
        reasons.add("subject alternative names lack " + String.join(", ", missing));
      }
      // The common name is enforced when the document or multi-server distribution fixes it; otherwise the
      // node's own scheme stands (CAPF identities are named CAPF-<id> by Unified CM).
      if ((spec.commonName() != null || multi) && !c.commonName().equalsIgnoreCase(commonName)) {
        reasons.add("common name is " + c.commonName() + ", desired " + commonName);
      }
      Instant renewAt = renewAt(spec, c);
      if (!context.clock.instant().isBefore(renewAt)) {
        reasons.add("due for renewal since " + renewAt.toString().substring(0, 10) + " (expires "
            + c.notAfter().toString().substring(0, 10) + ")");
      }
    }
    if (reasons.isEmpty()) {
      return;
    }
    List<String> restarts = new ArrayList<>();
    if (Restarts.everyImNode(spec.service())) {
      context.observed.nodes().stream().filter(TrustPlanner::isIm)
          .forEach(n -> restarts.addAll(Restarts.afterIdentity(spec.service(), n)));
    } else {
      restarts.addAll(Restarts.afterIdentity(spec.service(), node));
    }
    CertificateSpec.Hash hash = spec.hash() == null ? CertificateSpec.Hash.SHA256 : spec.hash();
    String after = "self-signed, " + type.name() + " " + size + ", " + hash.name() + ", " + SELF_SIGNED_DAYS + " days, SAN "
        + String.join(", ", names);
    context.add(Phase.IDENTITY, Action.REPLACE, "identity-certificate", node.name() + "/" + spec.service().yaml(),
        current == null ? "" : TrustPlanner.describe(current.certificate()), after, String.join("; ", reasons),
        context.desired.source(doc, "spec.service"), new Impact(restarts, Restarts.inTrustList(spec.service()), 0),
        new Operation.RegenerateSelfSigned(node.name(), spec.service(), type, size, hash, commonName, List.copyOf(names),
            SELF_SIGNED_DAYS));
  }

  /** When a certificate is due: renewBefore before expiry, or when renewBeforePercent (default 33) of its life remains. */
  static Instant renewAt(CertificateSpec spec, ObservedCluster.Certificate c) {
    if (spec.renewBefore() != null) {
      return c.notAfter().minus(spec.renewBefore().duration());
    }
    int percent = spec.renewBeforePercent() == null ? 33 : spec.renewBeforePercent();
    Duration lifetime = Duration.between(c.notBefore(), c.notAfter());
    return c.notAfter().minus(lifetime.multipliedBy(percent).dividedBy(100));
  }

}
