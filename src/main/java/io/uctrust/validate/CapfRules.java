package io.uctrust.validate;

import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.CapfSpec.OnlineCa;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CAPF rules from the CAPF guide: online CA needs every parameter, no FIPS, release 12.5+, RSA keys
 * only; the CA that signs LSCs is a real CA (CA:TRUE, keyCertSign) and sits in CAPF-trust and
 * CallManager-trust; the HTTPS certificate of the online CA matches its host name and is uploaded when
 * the upload table requires it; offline CA is allowed but online is recommended.
 */
final class CapfRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<CapfSpec> doc : state.capf()) {
      CapfSpec spec = doc.spec();
      CapfIssuer issuer = spec.issuer();
      if (issuer != CapfIssuer.ONLINE_CA && spec.onlineCa() != null) {
        context.warning(doc, "spec.onlineCa", "ignored", "spec.onlineCa is used only when issuer is online-ca",
            "remove it, or set issuer: online-ca");
      }
      if (issuer != CapfIssuer.OFFLINE_CA && spec.offlineCa() != null) {
        context.warning(doc, "spec.offlineCa", "ignored", "spec.offlineCa is used only when issuer is offline-ca",
            "remove it, or set issuer: offline-ca");
      }
      if (issuer == CapfIssuer.ONLINE_CA) {
        onlineCa(doc, context);
      } else if (issuer == CapfIssuer.OFFLINE_CA) {
        if (onlineCaPossible(doc, context)) {
          context.warning(doc, "spec.issuer", "offline-ca", "offline CA needs manual signing of every phone CSR",
              "the CAPF guide recommends online-ca when a third-party CA signs LSCs");
        }
        if (spec.offlineCa() != null) {
          List<String> files = spec.offlineCa().caCertificates();
          for (int i = 0; i < files.size(); i++) {
            signingCa(doc, "spec.offlineCa.caCertificates[" + i + "]", files.get(i), true, context);
          }
        }
      }
    }
  }

  private static void onlineCa(Document<CapfSpec> doc, RuleContext context) {
    OnlineCa online = doc.spec().onlineCa();
    if (online == null) {
      context.error(doc, "spec.issuer", "online-ca", "issuer online-ca needs spec.onlineCa with hostname, port, "
          + "template, type, username and password", null);
    } else {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("hostname", online.hostname());
      fields.put("port", online.port());
      fields.put("template", online.template());
      fields.put("type", online.type());
      fields.put("username", online.username());
      fields.put("password", online.password());
      fields.forEach((name, value) -> {
        if (value == null) {
          context.error(doc, "spec.onlineCa", "online-ca", "issuer online-ca needs spec.onlineCa." + name, null);
        }
      });
    }
    Optional<Document<ClusterSpec>> cluster = context.clusterOf(doc);
    cluster.map(c -> c.spec().security()).filter(s -> Boolean.TRUE.equals(s.fipsMode())).ifPresent(s ->
        context.error(doc, "spec.issuer", "online-ca-fips", "online CA is not supported on a cluster in FIPS mode",
            "use cisco-capf or offline-ca, or disable FIPS mode"));
    cluster.map(c -> c.spec().release()).filter(r -> releaseBelow(r, 12, 5)).ifPresent(r ->
        context.error(doc, "spec.issuer", "online-ca-release", "online CA needs Unified CM 12.5 or later; the cluster is "
            + r, null));
    for (Document<PhoneCertificatePolicySpec> policy
        : context.sameCluster(doc, Kind.PHONE_CERTIFICATE_POLICY, PhoneCertificatePolicySpec.class)) {
      KeyOrder order = policy.spec().key() == null ? null : policy.spec().key().order();
      if (order == KeyOrder.EC_ONLY || order == KeyOrder.EC_PREFERRED) {
        context.error(policy, "spec.key.order", "online-ca-ec", "the online CA issues RSA LSCs only; key order "
            + io.uctrust.desired.Spelling.Of.yaml(order) + " is not supported with issuer online-ca", "use order: rsa-only");
      }
    }
    if (online == null) {
      return;
    }
    Optional<CertificateFacts> root = online.caCertificate() == null ? Optional.empty()
        : signingCa(doc, "spec.onlineCa.caCertificate", online.caCertificate(), false, context);
    if (online.httpsCertificate() != null) {
      context.certificates(doc, "spec.onlineCa.httpsCertificate", online.httpsCertificate()).ifPresent(list -> {
        CertificateFacts https = list.get(0);
        if (online.hostname() != null && !https.commonName().equalsIgnoreCase(online.hostname())) {
          context.error(doc, "spec.onlineCa.hostname", "online-ca-hostname", "the online CA host name '" + online.hostname()
              + "' must equal the CN of its HTTPS certificate ('" + https.commonName() + "')", null);
        }
        // The upload table (root, and the HTTPS certificate when the root did not issue it) is the plan's job:
        // it derives those uploads from these two files.
      });
    }
  }

  /**
   * A CA that signs LSCs: CA:TRUE with keyCertSign and, when {@code inTrustStores}, listed for CAPF-trust and
   * CallManager-trust (the online CA's root need not be: the plan uploads it).
   */
  private static Optional<CertificateFacts> signingCa(Document<CapfSpec> doc, String path, String file,
      boolean inTrustStores, RuleContext context) {
    Optional<List<CertificateFacts>> certificates = context.certificates(doc, path, file);
    if (certificates.isEmpty()) {
      return Optional.empty();
    }
    CertificateFacts ca = certificates.get().get(0);
    if (!ca.ca() || !ca.keyCertSign()) {
      context.error(doc, path, "not-a-ca", "'" + file + "' (" + ca.subject() + ") cannot sign LSCs: a CAPF signing CA needs "
          + "basicConstraints CA:TRUE and keyUsage keyCertSign", null);
    }
    for (Store store : inTrustStores ? List.of(Store.CALLMANAGER_TRUST, Store.CAPF_TRUST) : List.<Store>of()) {
      if (certificates.get().stream().noneMatch(c -> context.trusted(doc, store).contains(c.sha256()))) {
        context.error(doc, path, "missing-trust", "the CA in '" + file + "' must be uploaded to " + store.yaml()
            + " before phones get LSCs from it", "list it in a TrustStore document for " + store.yaml());
      }
    }
    return Optional.of(ca);
  }

  /** Online CA is ruled out by FIPS mode and by releases before 12.5. */
  private static boolean onlineCaPossible(Document<CapfSpec> doc, RuleContext context) {
    Optional<ClusterSpec> cluster = context.clusterOf(doc).map(Document::spec);
    boolean fips = cluster.map(ClusterSpec::security).map(ClusterSpec.Security::fipsMode).orElse(false);
    boolean old = cluster.map(ClusterSpec::release).map(r -> releaseBelow(r, 12, 5)).orElse(false);
    return !fips && !old;
  }

  static boolean releaseBelow(String release, int major, int minor) {
    String[] parts = release.split("\\.");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma < major || ma == major && mi < minor;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
