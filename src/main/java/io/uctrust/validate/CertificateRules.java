package io.uctrust.validate;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.Issuer;
import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.ClusterNode;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.NamePatterns;
import io.uctrust.desired.Spelling;
import io.uctrust.pki.CertificateFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Service identity rules from the certificate guides and Jabber's certificate validation: the service
 * lives on the chosen nodes; key type follows the -ECDSA naming and sizes stay within Unified CM's
 * limits; no wildcards except the leftmost label of XMPP federation names; servers named by FQDN, not IP;
 * XMPP certificates carry the XMPP domain; public-CA subject rules; issuer settings are complete.
 */
final class CertificateRules implements Rule {

  private static final Pattern IPV4 = Pattern.compile(NamePatterns.IPV4);
  private static final Pattern DNS_NAME = Pattern.compile(NamePatterns.FQDN);
  private static final Pattern PUBLIC_CA_FORBIDDEN = Pattern.compile("[@&!]");

  @Override
  public void check(DesiredState state, RuleContext context) {
    Map<String, Document<CertificateSpec>> owners = new HashMap<>();
    for (Document<CertificateSpec> doc : state.certificates()) {
      CertificateSpec spec = doc.spec();
      Service service = spec.service();
      if (service == null) {
        continue;
      }
      Map<String, ClusterNode> nodes = context.nodes(doc);
      context.checkNodes(doc, "spec.nodes", spec.nodes(), node -> hosts(service, node.role()), hostMessage(service));
      duplicates(doc, nodes, owners, context);
      if (spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER && !service.multiServerCapable()) {
        context.error(doc, "spec.distribution", "multi-server", service.yaml() + " has no multi-server (SAN) certificate",
            "use distribution: single-node");
      }
      key(doc, context);
      Optional<ClusterSpec.ImAndPresence> imp = context.clusterOf(doc).map(c -> c.spec().imAndPresence());
      names(doc, imp.orElse(null), context);
      issuer(doc, context);
      if (spec.renewBefore() != null && spec.renewBeforePercent() != null) {
        context.error(doc, "spec.renewBeforePercent", "renewal", "give renewBefore or renewBeforePercent, not both", null);
      }
      if (spec.renewBefore() != null && spec.issuer() != null && spec.issuer().type() == CertificateSpec.IssuerType.SELF_SIGNED
          && spec.renewBefore().duration().toDays() >= CertificateSpec.SELF_SIGNED_DAYS) {
        context.error(doc, "spec.renewBefore", "renewal", "renewBefore " + spec.renewBefore() + " is not shorter than the "
            + CertificateSpec.SELF_SIGNED_DAYS + "-day lifetime of self-signed certificates; they would renew on every run",
            "use a shorter renewBefore, such as 30d, or renewBeforePercent");
      }
      if (spec.renewBefore() != null && spec.issuer() != null && spec.issuer().type() == CertificateSpec.IssuerType.CA) {
        int days = spec.issuer().validityDays() == null ? io.uctrust.issuance.IdentitySigners.DEFAULT_VALIDITY_DAYS
            : spec.issuer().validityDays();
        if (spec.renewBefore().duration().toDays() >= days) {
          context.error(doc, "spec.renewBefore", "renewal", "renewBefore " + spec.renewBefore() + " is not shorter than the "
              + days + "-day lifetime the CA issues (spec.issuer.validityDays); the identity would renew on every run",
              "use a shorter renewBefore, such as 30d, or renewBeforePercent");
        }
      }
    }
    sameCa(state, context);
  }

  /**
   * Rules over every Certificate document sent to one CA in one cluster (the seed's public-CA notes): a CA that
   * signs one certificate per FQDN may not get two certificates naming one FQDN, and a public CA may require the
   * same subject information in every CSR.
   */
  private static void sameCa(DesiredState state, RuleContext context) {
    Map<String, List<Document<CertificateSpec>>> byCa = new LinkedHashMap<>();
    for (Document<CertificateSpec> doc : state.certificates()) {
      caKey(doc, context).ifPresent(key -> byCa.computeIfAbsent(
          context.clusterOf(doc).map(Document::name).orElse("") + "\n" + key, k -> new ArrayList<>()).add(doc));
    }
    for (List<Document<CertificateSpec>> docs : byCa.values()) {
      Map<String, String> namedBy = new HashMap<>();
      // a property of the CA: one document saying so binds every document sent to that CA
      boolean onePerFqdn = docs.stream().anyMatch(d -> Boolean.TRUE.equals(d.spec().issuer().oneCertificatePerFqdn()));
      Document<CertificateSpec> firstPublic = null;
      for (Document<CertificateSpec> doc : docs) {
        Issuer issuer = doc.spec().issuer();
        if (onePerFqdn) {
          oneCertificatePerFqdn(doc, namedBy, context);
        }
        if (!publicCa(issuer)) {
          continue;
        }
        if (firstPublic == null) {
          firstPublic = doc;
          continue;
        }
        List<String> differing = subjectDifferences(firstPublic.spec().subject(), doc.spec().subject());
        if (!differing.isEmpty()) {
          context.error(doc, doc.spec().subject() == null ? "spec" : "spec.subject", "public-ca-subject",
              "the subject differs from Certificate '" + firstPublic.name() + "' sent to the same public CA ("
                  + String.join(", ", differing) + ")",
              "public CAs may require the same information in every CSR from one cluster; use the same subject fields");
        }
      }
    }
  }

  private static void oneCertificatePerFqdn(Document<CertificateSpec> doc, Map<String, String> namedBy,
      RuleContext context) {
    CertificateSpec spec = doc.spec();
    List<String> nodes = nodeNames(doc, context.nodes(doc));
    List<List<String>> units = spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER || nodes.isEmpty()
        ? List.of(nodes) : nodes.stream().map(List::of).toList();
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (List<String> unit : units) {
      java.util.Set<String> names = new java.util.LinkedHashSet<>(unit);
      if (spec.commonName() != null) {
        names.add(spec.commonName());
      }
      names.addAll(spec.subjectAltNames());
      String certificate = "the " + spec.service().yaml() + " certificate of " + (unit.isEmpty() ? "Certificate '" + doc.name()
          + "'" : String.join(", ", unit) + " (Certificate '" + doc.name() + "')");
      for (String name : names) {
        String fqdn = name.toLowerCase(Locale.ROOT);
        String first = namedBy.putIfAbsent(fqdn, certificate);
        if (first != null && !first.equals(certificate) && reported.add(fqdn)) {
          context.error(doc, spec.issuer().oneCertificatePerFqdn() != null ? "spec.issuer.oneCertificatePerFqdn"
              : "spec.issuer", "one-certificate-per-fqdn", "'" + name + "' would be "
              + "named by two certificates of a CA that signs one certificate per FQDN: " + first + " and " + certificate,
              "send one of them to another CA"
                  + (spec.service().multiServerCapable() ? ", or name the nodes in one multi-server certificate" : ""));
        }
      }
    }
  }

  /** Which CA signs a document's identities, as far as the desired state tells; empty for self-signed. */
  private static Optional<String> caKey(Document<CertificateSpec> doc, RuleContext context) {
    Issuer issuer = doc.spec().issuer();
    if (doc.spec().service() == null || issuer == null || issuer.type() == null) {
      return Optional.empty();
    }
    switch (issuer.type()) {
      case ACME -> {
        return Optional.ofNullable(issuer.directory()).map(d -> "acme " + d);
      }
      case CA -> {
        if (issuer.pkcs11() != null) {
          return Optional.of("pkcs11 " + issuer.pkcs11().library() + " " + issuer.pkcs11().token());
        }
        return Optional.ofNullable(issuer.keystore()).map(k -> "keystore " + doc.resolve(k).normalize());
      }
      case OFFLINE -> {
        if (issuer.caCertificates() == null) {
          return Optional.empty();
        }
        return Optional.of("offline " + context.certificates(doc, "spec.issuer.caCertificates", issuer.caCertificates())
            .map(CertificateRules::sha256s).map(s -> new java.util.TreeSet<>(s).toString())
            .orElse(doc.resolve(issuer.caCertificates()).normalize().toString()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static boolean publicCa(Issuer issuer) {
    return Boolean.TRUE.equals(issuer.publicCa()) || issuer.type() == CertificateSpec.IssuerType.ACME;
  }

  private static List<String> subjectDifferences(CertificateSpec.Subject a, CertificateSpec.Subject b) {
    CertificateSpec.Subject none = new CertificateSpec.Subject(null, null, null, null, null);
    CertificateSpec.Subject x = a == null ? none : a;
    CertificateSpec.Subject y = b == null ? none : b;
    List<String> differing = new ArrayList<>();
    java.util.function.BiConsumer<String, java.util.function.Function<CertificateSpec.Subject, String>> compare =
        (field, get) -> {
          if (!java.util.Objects.equals(get.apply(x), get.apply(y))) {
            differing.add(field + " " + shown(get.apply(y)) + " there " + shown(get.apply(x)));
          }
        };
    compare.accept("organization", CertificateSpec.Subject::organization);
    compare.accept("organizationalUnit", CertificateSpec.Subject::organizationalUnit);
    compare.accept("locality", CertificateSpec.Subject::locality);
    compare.accept("state", CertificateSpec.Subject::state);
    compare.accept("country", CertificateSpec.Subject::country);
    return differing;
  }

  private static String shown(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }

  private static boolean hosts(Service service, NodeRole role) {
    if (role == null) {
      return true;
    }
    if (service == Service.CAPF) {
      return role == NodeRole.CUCM_PUBLISHER;
    }
    return role.isImAndPresence() ? service.onImAndPresence() : !service.imAndPresenceOnly();
  }

  private static String hostMessage(Service service) {
    if (service == Service.CAPF) {
      return "cannot hold a CAPF certificate; CAPF runs on the Unified CM publisher only";
    }
    return "does not run the services of a " + service.yaml() + " certificate";
  }

  private static void duplicates(Document<CertificateSpec> doc, Map<String, ClusterNode> nodes,
      Map<String, Document<CertificateSpec>> owners, RuleContext context) {
    List<String> names = nodeNames(doc, nodes);
    String cluster = context.clusterOf(doc).map(Document::name).orElse("");
    for (String node : names) {
      Document<CertificateSpec> first = owners.putIfAbsent(cluster + "/" + doc.spec().service() + "/" + node, doc);
      if (first != null && first != doc) {
        context.error(doc, "spec.nodes", "duplicate-identity", "the " + doc.spec().service().yaml() + " identity of '" + node
            + "' is already managed by Certificate '" + first.name() + "'", "one Certificate document per service and node");
      }
    }
  }

  /** The nodes a document names, with {@code all} expanded to the nodes that run its service. */
  private static List<String> nodeNames(Document<CertificateSpec> doc, Map<String, ClusterNode> nodes) {
    return doc.spec().nodes() == null ? List.of()
        : doc.spec().nodes().all()
            ? nodes.values().stream().filter(n -> hosts(doc.spec().service(), n.role())).map(ClusterNode::name).toList()
            : doc.spec().nodes().names();
  }

  private static void key(Document<CertificateSpec> doc, RuleContext context) {
    CertificateSpec spec = doc.spec();
    if (spec.key() == null || spec.key().type() == null) {
      return;
    }
    KeyType expected = spec.service().ecdsa() ? KeyType.EC : KeyType.RSA;
    if (spec.key().type() != expected) {
      context.error(doc, "spec.key.type", "key-type", spec.service().yaml() + " takes " + Spelling.Of.yaml(expected)
          + " keys (purposes ending in -ECDSA are EC, the others RSA)", null);
      return;
    }
    Integer size = spec.key().size();
    if (size == null) {
      return;
    }
    List<Integer> allowed = expected == KeyType.EC ? List.of(256, 384, 521) : List.of(1024, 2048, 3072, 4096);
    if (!allowed.contains(size)) {
      context.error(doc, "spec.key.size", "key-size", Spelling.Of.yaml(expected) + " key size " + size + " is not allowed",
          "allowed: " + allowed.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
              + (expected == KeyType.RSA ? " (Unified CM takes at most 4096 bits)" : ""));
    }
  }

  private static void names(Document<CertificateSpec> doc, ClusterSpec.ImAndPresence imp, RuleContext context) {
    CertificateSpec spec = doc.spec();
    boolean wildcardsAllowed = spec.service().federation() && imp != null
        && Boolean.TRUE.equals(imp.enableWildcardsInXmppFederationCertificates());
    Map<String, String> all = new LinkedHashMap<>();
    if (spec.commonName() != null) {
      all.put("spec.commonName", spec.commonName());
    }
    for (int i = 0; i < spec.subjectAltNames().size(); i++) {
      all.put("spec.subjectAltNames[" + i + "]", spec.subjectAltNames().get(i));
    }
    all.forEach((path, name) -> name(doc, path, name, wildcardsAllowed, context));
    List<String> sans = spec.subjectAltNames().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    if (spec.service().xmpp()) {
      String domain = imp == null ? null : imp.xmppDomain();
      boolean automatic = imp != null && Boolean.TRUE.equals(imp.useDomainNameForXmppSan());
      if (domain == null) {
        context.warning(doc, "spec.service", "xmpp-domain", "cannot check that this XMPP certificate carries the XMPP domain",
            "set spec.imAndPresence.xmppDomain in the Cluster document");
      } else if (!automatic && !sans.contains(domain.toLowerCase(Locale.ROOT))
          && !sans.contains("*." + domain.toLowerCase(Locale.ROOT))) {
        context.error(doc, "spec.subjectAltNames", "xmpp-domain", "Jabber identifies the XMPP certificate by the XMPP domain; "
            + "'" + domain + "' must be a subject alternative name", "add it, or set imAndPresence.useDomainNameForXmppSan: true");
      }
    }
    if (wildcardsAllowed) {
      List<String> domains = new ArrayList<>(imp.hostedDomains());
      if (domains.isEmpty() && imp.xmppDomain() != null) {
        domains.add(imp.xmppDomain());
      }
      for (String domain : domains) {
        if (!sans.contains("*." + domain.toLowerCase(Locale.ROOT))) {
          context.error(doc, "spec.subjectAltNames", "federation-wildcard", "with wildcards in XMPP federation certificates, "
              + "hosted domain '" + domain + "' must appear as '*." + domain + "'", null);
        }
      }
    }
  }

  private static void name(Document<CertificateSpec> doc, String path, String name, boolean wildcardsAllowed,
      RuleContext context) {
    if (IPV4.matcher(name).matches() || name.contains(":")) {
      context.error(doc, path, "ip-identity", "'" + name + "' is an IP address; name servers by FQDN",
          "Jabber and public CAs match certificates by DNS name, and clients connecting by IP cannot be matched");
      return;
    }
    if (name.contains("*")) {
      if (!wildcardsAllowed) {
        context.error(doc, path, "wildcard", "'" + name + "': Unified CM and IM and Presence identity certificates cannot "
            + "be wildcard certificates", "wildcards are allowed only in cup-xmpp-s2s names when "
            + "imAndPresence.enableWildcardsInXmppFederationCertificates is true");
        return;
      }
      if (!name.startsWith("*.") || name.indexOf('*', 1) >= 0 || !DNS_NAME.matcher(name.substring(2)).matches()) {
        context.error(doc, path, "wildcard", "'" + name + "': a wildcard may only be the whole leftmost label, as in *.example.com",
            null);
      }
      return;
    }
    if (!DNS_NAME.matcher(name).matches()) {
      context.error(doc, path, "format", "'" + name + "' is not a fully qualified DNS name", NamePatterns.FQDN_MESSAGE);
    }
  }

  private static java.util.Set<String> sha256s(List<CertificateFacts> certificates) {
    return certificates.stream().map(CertificateFacts::sha256).collect(java.util.stream.Collectors.toSet());
  }

  private static void issuer(Document<CertificateSpec> doc, RuleContext context) {
    Issuer issuer = doc.spec().issuer();
    if (issuer == null || issuer.type() == null) {
      return;
    }
    Map<String, Object> needed = new LinkedHashMap<>();
    switch (issuer.type()) {
      case CA -> {
        if (issuer.pkcs11() == null) {
          needed.put("keystore (or pkcs11)", issuer.keystore());
          needed.put("keystorePassword", issuer.keystorePassword());
        } else if (issuer.keystore() != null) {
          context.error(doc, "spec.issuer.pkcs11", "issuer", "give spec.issuer.keystore or spec.issuer.pkcs11, not both",
              null);
        }
      }
      case ACME -> {
        needed.put("directory", issuer.directory());
        if (issuer.challenge() == CertificateSpec.Challenge.DNS_01) {
          needed.put("dnsHook", issuer.dnsHook());
        }
      }
      // the signed chain is checked against these CAs before it is installed
      case OFFLINE -> needed.put("caCertificates", issuer.caCertificates());
      default -> { }
    }
    needed.forEach((field, value) -> {
      if (value == null) {
        context.error(doc, "spec.issuer", "issuer", "issuer type " + Spelling.Of.yaml(issuer.type())
            + " needs spec.issuer." + field, null);
      }
    });
    Map<String, Object> foreign = new LinkedHashMap<>();
    if (issuer.type() != CertificateSpec.IssuerType.CA) {
      foreign.put("keystore", issuer.keystore());
      foreign.put("keystorePassword", issuer.keystorePassword());
      foreign.put("keyAlias", issuer.keyAlias());
      foreign.put("pkcs11", issuer.pkcs11());
      foreign.put("validityDays", issuer.validityDays());
    }
    if (issuer.type() == CertificateSpec.IssuerType.SELF_SIGNED) {
      // a CA rotation needs an issuing CA to rotate
      foreign.put("previousCaCertificates", issuer.previousCaCertificates());
      foreign.put("oneCertificatePerFqdn", issuer.oneCertificatePerFqdn());
      foreign.put("rotationOverlap", issuer.rotationOverlap());
    } else if (issuer.previousCaCertificates() == null && issuer.rotationOverlap() != null) {
      context.warning(doc, "spec.issuer.rotationOverlap", "ignored",
          "spec.issuer.rotationOverlap is used only with spec.issuer.previousCaCertificates", null);
    }
    if (issuer.type() != CertificateSpec.IssuerType.ACME) {
      foreign.put("directory", issuer.directory());
      foreign.put("email", issuer.email());
      foreign.put("challenge", issuer.challenge());
      foreign.put("dnsHook", issuer.dnsHook());
      foreign.put("http01Listen", issuer.http01Listen());
      foreign.put("directoryTrust", issuer.directoryTrust());
    }
    foreign.forEach((field, value) -> {
      if (value != null) {
        context.warning(doc, "spec.issuer." + field, "ignored", "spec.issuer." + field + " is not used by issuer type "
            + Spelling.Of.yaml(issuer.type()), null);
      }
    });
    var cas = issuer.caCertificates() == null ? Optional.<List<CertificateFacts>>empty()
        : context.certificates(doc, "spec.issuer.caCertificates", issuer.caCertificates());
    if (issuer.previousCaCertificates() != null && issuer.type() != CertificateSpec.IssuerType.SELF_SIGNED) {
      var previous = context.certificates(doc, "spec.issuer.previousCaCertificates", issuer.previousCaCertificates());
      if (cas.isPresent() && previous.isPresent() && !previous.get().isEmpty() && sha256s(previous.get())
          .equals(sha256s(cas.get()))) {
        context.warning(doc, "spec.issuer.previousCaCertificates", "rotation-same-ca",
            "spec.issuer.previousCaCertificates holds the same certificates as spec.issuer.caCertificates, so nothing "
                + "rotates", "name the CA being retired here and the new one in caCertificates");
      }
    }
    if (issuer.directoryTrust() != null) {
      context.certificates(doc, "spec.issuer.directoryTrust", issuer.directoryTrust());
    }
    boolean publicCa = publicCa(issuer);
    CertificateSpec.Subject subject = doc.spec().subject();
    if (subject != null) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("organization", subject.organization());
      fields.put("organizationalUnit", subject.organizationalUnit());
      fields.put("locality", subject.locality());
      fields.put("state", subject.state());
      fields.forEach((field, value) -> {
        if (value != null && PUBLIC_CA_FORBIDDEN.matcher(value).find()) {
          String message = "spec.subject." + field + " contains @, & or !, which public CAs reject in CSRs";
          if (publicCa) {
            context.error(doc, "spec.subject." + field, "public-ca-subject", message, "remove those characters");
          } else {
            context.warning(doc, "spec.subject." + field, "public-ca-subject", message, "fine for a private CA");
          }
        }
      });
    }
  }
}
