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
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;

/**
 * Service identity changes. An identity is replaced when it does not come from the desired issuer (self-signed, or
 * signed by the configured CA), has another key, lacks a name, or is due for renewal ({@code renewBefore},
 * {@code renewBeforePercent}, default one third of its lifetime), or, when CA-signed, is known to be revoked
 * ({@link Planner#withRevoked}); the plan notes when each current one renews next.
 * Self-signed identities are regenerated on the node; CA and ACME identities are issued from a CSR the node makes
 * (multi-server: one CSR on the first node, the certificate distributed to the others), after the issuing CA
 * chain (when the document names it) is in the service's trust store on every node that has that store. Offline
 * identities go through the desired-state repository ({@link OfflineIdentityPlanner}).
 */
final class IdentityPlanner {

  static final int SELF_SIGNED_DAYS = CertificateSpec.SELF_SIGNED_DAYS;

  void plan(PlanContext context) {
    for (Document<CertificateSpec> doc : context.documents(context.desired.state().certificates())) {
      CertificateSpec spec = doc.spec();
      List<ObservedCluster.Node> nodes = nodes(context, spec);
      if (spec.issuer().type() == IssuerType.CA || spec.issuer().type() == IssuerType.ACME) {
        issued(context, doc, nodes);
        nextRenewal(context, doc, nodes);
        continue;
      }
      if (spec.issuer().type() == IssuerType.OFFLINE) {
        new OfflineIdentityPlanner().plan(context, doc, nodes);
        nextRenewal(context, doc, nodes);
        continue;
      }
      for (ObservedCluster.Node node : nodes) {
        identity(context, doc, node, nodes);
      }
      nextRenewal(context, doc, nodes);
    }
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
    ObservedCluster.Identity current = identity(node, spec);
    KeyType type = keyType(spec);
    int size = keySize(spec);
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
      keyAndNames(c, type, size, names, reasons);
      // The common name is enforced when the document or multi-server distribution fixes it; otherwise the
      // node's own scheme stands (CAPF identities are named CAPF-<id> by Unified CM).
      if ((spec.commonName() != null || multi) && !c.commonName().equalsIgnoreCase(commonName)) {
        reasons.add("common name is " + c.commonName() + ", desired " + commonName);
      }
      renewal(context, doc, node, c, reasons);
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

  /** Adds "due" to {@code reasons} when the certificate is due for renewal. */
  private static void renewal(PlanContext context, Document<CertificateSpec> doc, ObservedCluster.Node node,
      ObservedCluster.Certificate c, List<String> reasons) {
    Instant renewAt = renewAt(doc.spec(), c);
    if (!context.clock.instant().isBefore(renewAt)) {
      reasons.add("due for renewal since " + renewAt.toString().substring(0, 10) + " (expires "
          + c.notAfter().toString().substring(0, 10) + ")");
    }
  }

  /** One note per document: when the soonest of its identities that this plan leaves alone renews. */
  private static void nextRenewal(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> nodes) {
    CertificateSpec spec = doc.spec();
    Set<String> replaced = new java.util.HashSet<>();
    context.drafts.stream().filter(c -> c.phase() == Phase.IDENTITY).forEach(c -> c.operations().forEach(op -> {
      if (op instanceof Operation.IssueIdentity issue && issue.service() == spec.service()) {
        replaced.add(issue.node());
        replaced.addAll(issue.distributeTo());
      } else if (op instanceof Operation.InstallIdentity install && install.service() == spec.service()) {
        replaced.add(install.node());
        replaced.addAll(install.distributeTo());
      } else if (op instanceof Operation.RegenerateSelfSigned regenerate && regenerate.service() == spec.service()) {
        replaced.add(regenerate.node());
      }
    }));
    record Next(String node, Instant at, Instant expires) {}
    nodes.stream().filter(n -> !replaced.contains(n.name()))
        .flatMap(n -> n.identities().stream().filter(i -> i.service() == spec.service())
            .map(i -> new Next(n.name(), renewAt(spec, i.certificate()), i.certificate().notAfter())))
        .min(java.util.Comparator.comparing(Next::at))
        .ifPresent(next -> context.notes.add(doc.address() + ": " + spec.service().yaml() + " renews next on "
            + next.at().toString().substring(0, 10) + " (" + next.node() + ", expires " + next.expires().toString().substring(0, 10)
            + ", " + (spec.renewBefore() != null ? "renewBefore " + spec.renewBefore()
                : "renewBeforePercent " + (spec.renewBeforePercent() == null ? 33 : spec.renewBeforePercent())) + ")"));
  }

  /**
   * CA or ACME issuance: per node (single-node) or once for all the document's nodes (multi-server), with the
   * issuing chain the document names uploaded to the service's trust store first.
   */
  private static void issued(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> nodes) {
    CertificateSpec spec = doc.spec();
    if (nodes.isEmpty()) {
      return;
    }
    List<X509Certificate> cas = cas(context, doc);
    issuerTrust(context, doc, cas, "spec.issuer.caCertificates");
    for (List<ObservedCluster.Node> unit : units(spec, nodes)) {
      issue(context, doc, unit, cas);
    }
  }

  /** The CA certificates of the document's {@code spec.issuer.caCertificates}; none when it names no file. */
  static List<X509Certificate> cas(PlanContext context, Document<CertificateSpec> doc) {
    return cas(context, doc, doc.spec().issuer().caCertificates());
  }

  /** The CA certificates of a PEM file the document names; none when {@code file} is null. */
  static List<X509Certificate> cas(PlanContext context, Document<CertificateSpec> doc, String file) {
    List<X509Certificate> cas = new ArrayList<>();
    if (file != null) {
      for (String pem : context.desired.certificates(doc, file)) {
        X509Certificate certificate = Pem.certificate(pem);
        if (certificate.getBasicConstraints() >= 0) {
          cas.add(certificate);
        }
      }
    }
    return cas;
  }

  /** The issuance units: every node alone (single-node), or all of them with one certificate (multi-server). */
  static List<List<ObservedCluster.Node>> units(CertificateSpec spec, List<ObservedCluster.Node> nodes) {
    List<List<ObservedCluster.Node>> units = new ArrayList<>();
    if (spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER) {
      units.add(nodes);
    } else {
      nodes.forEach(n -> units.add(List.of(n)));
    }
    return units;
  }

  private static void issue(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> unit,
      List<X509Certificate> cas) {
    CertificateSpec spec = doc.spec();
    ObservedCluster.Node primary = unit.get(0);
    boolean multi = unit.size() > 1 || spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER;
    KeyType type = keyType(spec);
    int size = keySize(spec);
    Set<String> names = names(spec, unit);
    String commonName = commonName(spec, primary);
    ObservedCluster.Identity current = identity(primary, spec);
    List<String> reasons = reasons(context, doc, unit, cas);
    if (reasons.isEmpty()) {
      return;
    }
    List<String> restarts = restarts(context, spec, unit);
    CertificateSpec.Hash hash = spec.hash() == null ? CertificateSpec.Hash.SHA256 : spec.hash();
    List<String> others = unit.subList(1, unit.size()).stream().map(ObservedCluster.Node::name).toList();
    String absent = absentIssuerFile(context, doc);
    if (absent != null) {
      // a plan this machine cannot carry out is a check, not drift: CI and the lab lack the CA's key
      context.add(Phase.IDENTITY, Action.CHECK, "identity-certificate", primary.name() + "/" + spec.service().yaml(),
          current == null ? "" : TrustPlanner.describe(current.certificate()), "issued by " + doc.address(),
          String.join("; ", reasons) + "; but " + absent + " is not on this machine, so uctrust cannot issue it here "
              + "(reconcile where the CA key is)", context.desired.source(doc, "spec.issuer"), Impact.NONE, List.of(),
          List.of());
      return;
    }
    String after = Spelling.Of.yaml(spec.issuer().type()) + " (" + doc.address() + "), " + type.name() + " " + size + ", "
        + hash.name() + ", CN " + commonName + ", SAN " + String.join(", ", names)
        + (others.isEmpty() ? "" : ", distributed to " + String.join(", ", others));
    context.add(Phase.IDENTITY, Action.REPLACE, "identity-certificate", primary.name() + "/" + spec.service().yaml(),
        current == null ? "" : TrustPlanner.describe(current.certificate()), after, String.join("; ", reasons),
        context.desired.source(doc, "spec.issuer"), new Impact(restarts, Restarts.inTrustList(spec.service()), 0),
        new Operation.IssueIdentity(primary.name(), spec.service(), multi, type, size, hash, commonName,
            List.copyOf(names), spec.subject(), others, new Operation.Issuer(doc.address(), absolute(context, doc))));
  }

  /** Adds why {@code c} has the wrong key or lacks some of {@code names}. */
  private static void keyAndNames(ObservedCluster.Certificate c, KeyType type, int size, Set<String> names,
      List<String> reasons) {
    String algorithm = type == KeyType.EC ? "EC" : "RSA";
    if (!c.keyAlgorithm().equals(algorithm) || c.keyBits() != size) {
      reasons.add("key is " + c.keyAlgorithm() + " " + c.keyBits() + ", desired " + algorithm + " " + size);
    }
    List<String> missing = names.stream().filter(n -> c.dnsNames().stream().noneMatch(d -> d.equalsIgnoreCase(n))).toList();
    if (!missing.isEmpty()) {
      reasons.add("subject alternative names lack " + String.join(", ", missing));
    }
  }

  static KeyType keyType(CertificateSpec spec) {
    return spec.key() != null ? spec.key().type() : spec.service().ecdsa() ? KeyType.EC : KeyType.RSA;
  }

  static int keySize(CertificateSpec spec) {
    return spec.key() != null && spec.key().size() != null ? spec.key().size() : keyType(spec) == KeyType.EC ? 384 : 2048;
  }

  /** The DNS names of a unit's certificate: its nodes, then the document's extra names. */
  static Set<String> names(CertificateSpec spec, List<ObservedCluster.Node> unit) {
    Set<String> names = new LinkedHashSet<>();
    unit.forEach(n -> names.add(n.name()));
    names.addAll(spec.subjectAltNames());
    return names;
  }

  static String commonName(CertificateSpec spec, ObservedCluster.Node primary) {
    return spec.commonName() != null ? spec.commonName() : primary.name();
  }

  /**
   * Why the identity of an issued unit (its first node, and the others of a multi-server certificate) must be
   * issued anew: none, self-signed, not from the configured CA, another key, a name missing, or due. Empty: it fits.
   */
  static List<String> reasons(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> unit,
      List<X509Certificate> cas) {
    CertificateSpec spec = doc.spec();
    ObservedCluster.Node primary = unit.get(0);
    KeyType type = keyType(spec);
    int size = keySize(spec);
    Set<String> names = names(spec, unit);
    String commonName = commonName(spec, primary);
    ObservedCluster.Identity current = identity(primary, spec);
    List<String> reasons = new ArrayList<>();
    if (current == null) {
      reasons.add("the node has no " + spec.service().yaml() + " identity");
      return reasons;
    }
    ObservedCluster.Certificate c = current.certificate();
    if (current.selfSigned()) {
      reasons.add("it is self-signed, the desired issuer is " + Spelling.Of.yaml(spec.issuer().type()));
    } else if (!cas.isEmpty() && !issuedUnder(c, cas, primary, spec.service().trustStore())) {
      String previous = CaRotationPlanner.previousIssuer(context, doc, c, primary);
      reasons.add(previous != null ? "CA rotation: issued by the previous CA " + previous
          : "it is issued by " + c.issuer() + ", not by the configured CA");
    }
    keyAndNames(c, type, size, names, reasons);
    if (spec.commonName() != null && !c.commonName().equalsIgnoreCase(commonName)) {
      reasons.add("common name is " + c.commonName() + ", desired " + commonName);
    }
    io.uctrust.pki.Revocation revocation = current.selfSigned() ? null : context.revoked.get(c.sha256());
    if (revocation != null) {
      reasons.add(revocation.describe());
    }
    for (ObservedCluster.Node other : unit.subList(1, unit.size())) {
      ObservedCluster.Identity theirs = identity(other, spec);
      if (theirs == null || !theirs.certificate().sha256().equals(c.sha256())) {
        reasons.add(other.name() + " does not have the multi-server certificate");
      }
    }
    renewal(context, doc, primary, c, reasons);
    return reasons;
  }

  /** The restarts a new identity of {@code unit} needs: its nodes', or every IM and Presence node's for XMPP. */
  static List<String> restarts(PlanContext context, CertificateSpec spec, List<ObservedCluster.Node> unit) {
    List<String> restarts = new ArrayList<>();
    if (Restarts.everyImNode(spec.service())) {
      context.observed.nodes().stream().filter(TrustPlanner::isIm)
          .forEach(n -> restarts.addAll(Restarts.afterIdentity(spec.service(), n)));
    } else {
      unit.forEach(n -> restarts.addAll(Restarts.afterIdentity(spec.service(), n)));
    }
    return restarts;
  }

  /** The CA keystore or PKCS#11 module that is missing on this machine, or null. */
  private static String absentIssuerFile(PlanContext context, Document<CertificateSpec> doc) {
    CertificateSpec.Issuer issuer = doc.spec().issuer();
    if (issuer.type() != IssuerType.CA) {
      return null;
    }
    if (issuer.pkcs11() != null) {
      return context.desired.issuerFileHere(doc, issuer.pkcs11().library()) ? null
          : "the PKCS#11 module " + issuer.pkcs11().library();
    }
    return issuer.keystore() == null || context.desired.issuerFileHere(doc, issuer.keystore()) ? null
        : "the CA keystore " + issuer.keystore();
  }

  /**
   * Whether {@code c} comes from a configured CA: issued by one, or by an intermediate under one that the node's
   * trust store holds. Documents of an ACME issuer name only the root, because the server's intermediates change.
   */
  static boolean issuedUnder(ObservedCluster.Certificate c, List<X509Certificate> cas, ObservedCluster.Node node,
      Store store) {
    return configuredCa(c, cas, node, store) != null;
  }

  /** The subject of the CA of {@code cas} that {@code c} comes from (as {@link #issuedUnder}), or null. */
  static String configuredCa(ObservedCluster.Certificate c, List<X509Certificate> cas, ObservedCluster.Node node,
      Store store) {
    Set<String> configured = new java.util.HashSet<>();
    cas.forEach(ca -> configured.add(ca.getSubjectX500Principal().getName()));
    String issuer = c.issuer();
    // bounded: cross-signed CAs in a trust store can form a loop
    for (int depth = 0; depth < 10; depth++) {
      if (configured.contains(issuer)) {
        return issuer;
      }
      String subject = issuer;
      ObservedCluster.Certificate next = node.trust().stream().filter(t -> t.store() == store)
          .map(ObservedCluster.TrustEntry::certificate)
          .filter(t -> t.subject().equals(subject) && !t.issuer().equals(subject)).findFirst().orElse(null);
      if (next == null) {
        return null;
      }
      issuer = next.issuer();
    }
    return null;
  }

  static ObservedCluster.Identity identity(ObservedCluster.Node node, CertificateSpec spec) {
    return node.identities().stream().filter(i -> i.service() == spec.service()).findFirst().orElse(null);
  }

  /** The issuer settings with files made absolute, so the operation is self-contained. */
  static CertificateSpec.Issuer absolute(PlanContext context, Document<CertificateSpec> doc) {
    CertificateSpec.Issuer i = doc.spec().issuer();
    java.util.function.Function<String, String> path = f -> f == null ? null : doc.resolve(f).toString();
    CertificateSpec.Pkcs11 pkcs11 = i.pkcs11() == null ? null : new CertificateSpec.Pkcs11(i.pkcs11().library(),
        i.pkcs11().token(), context.desired.secret(doc, i.pkcs11().pin()));
    return new CertificateSpec.Issuer(i.type(), path.apply(i.keystore()), context.desired.secret(doc, i.keystorePassword()),
        // the chain file is the plan's business (trust uploads), not the signer's
        i.keyAlias(), null, null, null, i.directory(), i.email(), i.challenge(), i.dnsHook(), i.publicCa(), i.oneCertificatePerFqdn(),
        pkcs11, i.validityDays(), i.http01Listen(), path.apply(i.directoryTrust()));
  }

  /**
   * The issuing CA certificates into the service's trust store on every node that has it and lacks them: a node
   * refuses an identity whose chain it cannot find, and the other nodes verify it with the same store.
   */
  static void issuerTrust(PlanContext context, Document<CertificateSpec> doc, List<X509Certificate> cas, String from) {
    Store store = doc.spec().service().trustStore();
    for (X509Certificate ca : cas) {
      String pem = Pem.encode(ca);
      ObservedCluster.Certificate certificate = io.uctrust.observed.Snapshots.certificate(pem);
      for (ObservedCluster.Node node : context.observed.nodes()) {
        boolean has = node.role() == null || (node.role().isImAndPresence() ? store.onImAndPresence() : store.onUnifiedCm());
        boolean present = node.trust().stream()
            .anyMatch(t -> t.store() == store && t.certificate().sha256().equals(certificate.sha256()));
        boolean drafted = context.drafts.stream().anyMatch(c -> c.operations().stream().anyMatch(
            op -> op instanceof Operation.UploadTrust u && u.node().equals(node.name()) && u.store() == store
                && io.uctrust.observed.Snapshots.certificate(u.pem()).sha256().equals(certificate.sha256())));
        if (has && !present && !drafted) {
          context.add(Phase.TRUST, Action.CREATE, "trust-certificate", TrustPlanner.address(node, store, certificate), "",
              TrustPlanner.describe(certificate), "derived from " + doc.address() + " " + from + ": the "
                  + "issuing chain goes into " + store.yaml() + " before the identity", context.desired.source(doc,
                  "spec.issuer.caCertificates"), Impact.restarting(Restarts.afterTrust(store, node)),
              new Operation.UploadTrust(node.name(), store, pem, certificate.commonName()));
        }
      }
    }
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
