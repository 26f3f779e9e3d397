package io.uctrust.reconcile;

import io.uctrust.pki.ChainValidator;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.IssuerType;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredResolver;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import io.uctrust.reconcile.ClientBundle.Client;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.Targets;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Works out the {@link ClientBundle} of a desired-state folder for one kind of client: validates and resolves the
 * folder as every command does, observes each cluster (as {@code status} does; nothing is changed or written), and
 * collects, for the services the client verifies:
 *
 * <ul>
 *   <li>from Certificate documents whose issuer is {@code ca} or {@code offline}: the CA certificates of
 *     {@code issuer.caCertificates} (leaves in that file are skipped);
 *   <li>from the cluster: each self-signed identity (its own root: without it clients ask users to accept it), and
 *     for each CA-signed identity its issuers up to the root, found by issuer name and signature among the nodes'
 *     trust stores and the CA certificates the desired state names. An issuer found nowhere is a warning.
 * </ul>
 *
 * <p>Expired certificates are left out with a warning: clients reject them anyway, and a bundle handed out by group
 * policy should not install dead CAs. Not for: deciding what the cluster itself trusts (TrustStore documents), or
 * fetching CAs from anywhere but the desired state and the cluster.
 */
public final class ClientBundler {

  /** Why no bundle could be made at all: invalid desired state, unknown cluster, cluster not reachable. One line. */
  public static final class BundleException extends Exception {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
      super(message);
    }
  }

  private static final String SELF_SIGNED = "the cluster (without it clients ask users to accept it)";

  private final Clock clock;
  private final TargetOptions targets;
  private final ValidationOptions validation;

  public ClientBundler(Clock clock, TargetOptions targets, ValidationOptions validation) {
    this.clock = clock;
    this.targets = targets;
    this.validation = validation;
  }

  /** The bundle for {@code client} of every cluster in {@code dir} (or only {@code only}). */
  public ClientBundle bundle(Path dir, String only, Client client) throws BundleException {
    ValidationReport report = new Validator(clock, validation).validate(dir);
    if (!report.valid()) {
      throw new BundleException("the desired state in " + dir + " is invalid; run 'uctrust validate " + dir + "'");
    }
    ResolvedDesired desired;
    try {
      desired = new DesiredResolver().resolve(report.state());
    } catch (IOException e) {
      throw new BundleException(e.getMessage());
    }
    Map<Document<ClusterSpec>, ObservedCluster> observed = new LinkedHashMap<>();
    for (Document<ClusterSpec> cluster : report.state().clusters()) {
      if (only != null && !only.equals(cluster.name())) {
        continue;
      }
      try (ClusterPort port = Targets.open(cluster, targets, clock)) {
        observed.put(cluster, port.observe());
      } catch (ClusterException e) {
        throw new BundleException("cluster " + cluster.name() + ": " + e.getMessage());
      }
    }
    if (observed.isEmpty()) {
      throw new BundleException("no Cluster document named '" + only + "' in " + dir);
    }
    return of(client, desired, observed, clock.instant());
  }

  /** The bundle for {@code client} from the resolved desired state and each cluster as observed, at {@code now}. */
  static ClientBundle of(Client client, ResolvedDesired desired, Map<Document<ClusterSpec>, ObservedCluster> clusters,
      Instant now) {
    Collector collector = new Collector(now);
    for (Map.Entry<Document<ClusterSpec>, ObservedCluster> cluster : clusters.entrySet()) {
      List<Document<CertificateSpec>> documents = desired.forCluster(desired.state().certificates(),
          cluster.getKey().name());
      fromDocuments(client, desired, cluster.getKey(), documents, collector);
      fromCluster(client, desired, documents, cluster.getValue(), collector);
    }
    return collector.bundle(client, clusters.keySet().stream().map(Document::name).toList());
  }

  private static void fromDocuments(Client client, ResolvedDesired desired, Document<ClusterSpec> cluster,
      List<Document<CertificateSpec>> documents, Collector collector) {
    Set<String> others = new LinkedHashSet<>();
    for (Document<CertificateSpec> doc : documents) {
      CertificateSpec spec = doc.spec();
      if (!client.services().contains(spec.service())) {
        others.add(doc.name() + " (" + spec.service().yaml() + ")");
        continue;
      }
      String name = "Certificate " + doc.name() + " (" + desired.source(doc, "metadata.name") + ")";
      IssuerType type = spec.issuer().type();
      if (type == IssuerType.SELF_SIGNED || type == IssuerType.ACME) {
        // self-signed: nothing exists before the cluster has it; ACME: a public CA clients trust already.
        // Either way the cluster's identities (below) show what clients meet.
        collector.considered.add(name + ": issuer " + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
            + ", names no CA certificates; its identities are taken from the cluster");
        continue;
      }
      if (spec.issuer().caCertificates() == null) {
        collector.considered.add(name + ": no issuer.caCertificates to take CA certificates from");
        continue;
      }
      List<String> nodes = nodes(cluster, spec);
      String reason = "issuer.caCertificates of " + name;
      int cas = 0;
      for (String pem : desired.certificates(doc, spec.issuer().caCertificates())) {
        X509Certificate certificate = Pem.certificate(pem);
        if (!ca(certificate)) {
          collector.considered.add(name + ": skipped the leaf " + subject(certificate) + " in "
              + spec.issuer().caCertificates());
          continue;
        }
        cas++;
        collector.add(certificate, spec.service(), nodes, reason);
      }
      collector.considered.add(name + ": " + cas + " CA certificate(s) in " + spec.issuer().caCertificates());
    }
    if (!others.isEmpty()) {
      collector.considered.add("Certificate documents for services " + client.label() + " clients do not verify: "
          + String.join(", ", others));
    }
  }

  private static void fromCluster(Client client, ResolvedDesired desired, List<Document<CertificateSpec>> documents,
      ObservedCluster observed, Collector collector) {
    Pool pool = new Pool();
    for (ObservedCluster.Node node : observed.nodes()) {
      for (ObservedCluster.TrustEntry entry : node.trust()) {
        pool.add(entry.certificate().pem(), entry.store().yaml());
      }
    }
    for (Document<CertificateSpec> doc : documents) {
      String file = doc.spec().issuer().caCertificates();
      if (file != null) {
        desired.certificates(doc, file).forEach(pem -> pool.add(pem, file + " of the desired state"));
      }
    }
    int selfSigned = 0;
    int caSigned = 0;
    for (ObservedCluster.Node node : observed.nodes()) {
      for (ObservedCluster.Identity identity : node.identities()) {
        if (!client.services().contains(identity.service()) || identity.certificate().pem() == null) {
          continue;
        }
        X509Certificate leaf = Pem.certificate(identity.certificate().pem());
        if (identity.selfSigned()) {
          selfSigned++;
          collector.add(leaf, identity.service(), List.of(node.name()), SELF_SIGNED);
        } else {
          caSigned++;
          issuers(leaf, identity.service(), node.name(), pool, collector);
        }
      }
    }
    collector.considered.add("cluster " + observed.name() + ": " + (selfSigned + caSigned == 0
        ? "no node has an identity for "
            + client.services().stream().map(Service::yaml).collect(Collectors.joining(", "))
        : selfSigned + " self-signed and " + caSigned + " CA-signed identities of these services"));
  }

  /** Adds the issuers of {@code leaf} found in {@code pool}, up to a self-issued one; a missing one is a warning. */
  private static void issuers(X509Certificate leaf, Service service, String node, Pool pool, Collector collector) {
    X509Certificate current = leaf;
    Set<X509Certificate> seen = new LinkedHashSet<>(List.of(leaf));
    while (!selfIssued(current)) {
      X509Certificate issuer = pool.issuerOf(current, collector.now);
      if (issuer == null) {
        collector.missing(current.getIssuerX500Principal().getName(), service, node);
        return;
      }
      if (!seen.add(issuer)) {
        return;
      }
      collector.add(issuer, service, List.of(node), "issuer of the identities, found in " + pool.where(issuer));
      current = issuer;
    }
  }

  /** The nodes a Certificate document puts its identity on: its list, or every node whose role hosts the service. */
  private static List<String> nodes(Document<ClusterSpec> cluster, CertificateSpec spec) {
    if (spec.nodes() != null && !spec.nodes().all()) {
      return spec.nodes().names();
    }
    return cluster.spec().nodes().stream()
        .filter(n -> n.role().isImAndPresence() ? spec.service().onImAndPresence()
            : !spec.service().imAndPresenceOnly())
        .map(ClusterSpec.ClusterNode::name).toList();
  }

  /** A CA certificate; a version 1 certificate has no basic constraints, and a self-issued one is a (legacy) root. */
  private static boolean ca(X509Certificate certificate) {
    return certificate.getBasicConstraints() >= 0 || certificate.getVersion() == 1 && selfIssued(certificate);
  }

  private static boolean selfIssued(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  private static String subject(X509Certificate certificate) {
    return CertificateFacts.of(certificate).subject();
  }

  /** Candidate issuers: the trust store entries and the desired state's CA certificates, and where each is. */
  private static final class Pool {
    private final Map<X509Certificate, Set<String>> where = new LinkedHashMap<>();
    private final Map<String, X509Certificate> parsed = new LinkedHashMap<>();

    void add(String pem, String place) {
      if (pem == null) {
        return;
      }
      X509Certificate certificate = parsed.computeIfAbsent(pem, Pem::certificate);
      where.computeIfAbsent(certificate, c -> new LinkedHashSet<>()).add(place);
    }

    /** The issuer of {@code certificate} by name and signature; of several, one valid now that lives longest. */
    X509Certificate issuerOf(X509Certificate certificate, Instant now) {
      return where.keySet().stream()
          .filter(c -> c.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()))
          .filter(c -> ChainValidator.signedBy(certificate, c))
          .max(Comparator.<X509Certificate, Boolean>comparing(c -> !c.getNotAfter().toInstant().isBefore(now))
              .thenComparing(X509Certificate::getNotAfter))
          .orElse(null);
    }

    String where(X509Certificate certificate) {
      return String.join(", ", where.get(certificate));
    }
  }

  /** The bundle being built: certificates by SHA-256 in the order found, expired ones and missing issuers apart. */
  private static final class Collector {
    private final Instant now;
    private final Map<String, Building> found = new LinkedHashMap<>();
    private final Map<String, Building> expired = new LinkedHashMap<>();
    private final Map<String, Building> missing = new LinkedHashMap<>();
    private final List<String> considered = new ArrayList<>();

    Collector(Instant now) {
      this.now = now;
    }

    void add(X509Certificate certificate, Service service, Collection<String> nodes, String reason) {
      CertificateFacts facts = CertificateFacts.of(certificate);
      Map<String, Building> into = facts.notAfter().isBefore(now) ? expired : found;
      into.computeIfAbsent(facts.sha256(), k -> new Building(certificate, facts)).add(service, nodes, reason);
    }

    void missing(String issuer, Service service, String node) {
      missing.computeIfAbsent(issuer, k -> new Building(null, null)).add(service, List.of(node), null);
    }

    ClientBundle bundle(Client client, List<String> clusters) {
      List<ClientBundle.Entry> entries = new ArrayList<>();
      // roots first, then intermediates, each in the order found
      for (boolean roots : new boolean[] {true, false}) {
        found.values().stream().filter(b -> b.facts.selfIssued() == roots)
            .forEach(b -> entries.add(new ClientBundle.Entry(b.certificate, b.facts, roots, List.copyOf(b.services),
                List.copyOf(b.nodes), List.copyOf(b.reasons))));
      }
      List<String> warnings = new ArrayList<>();
      missing.forEach((issuer, b) -> warnings.add("the issuer " + issuer + " of " + b.forWhat()
          + " is in no trust store of the cluster nor in the desired state, so the bundle lacks it (and what issued "
          + "it); add it with a TrustStore document"));
      expired.values().forEach(b -> warnings.add("left out " + b.facts.subject() + " (" + b.forWhat()
          + "): it expired on " + b.facts.notAfter().atZone(ZoneOffset.UTC).toLocalDate()
          + ", so clients reject it anyway; renew it"));
      return new ClientBundle(client, clusters, entries, warnings, considered);
    }
  }

  /** One certificate with the services, nodes and reasons gathered for it so far. */
  private static final class Building {
    private final X509Certificate certificate;
    private final CertificateFacts facts;
    private final Set<Service> services = EnumSet.noneOf(Service.class);
    private final Set<String> nodes = new LinkedHashSet<>();
    private final Set<String> reasons = new LinkedHashSet<>();

    Building(X509Certificate certificate, CertificateFacts facts) {
      this.certificate = certificate;
      this.facts = facts;
    }

    void add(Service service, Collection<String> at, String reason) {
      services.add(service);
      nodes.addAll(at);
      if (reason != null) {
        reasons.add(reason);
      }
    }

    String forWhat() {
      return services.stream().map(Service::yaml).collect(Collectors.joining(", ")) + " on " + String.join(", ", nodes);
    }
  }
}
