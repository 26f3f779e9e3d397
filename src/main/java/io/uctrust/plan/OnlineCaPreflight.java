package io.uctrust.plan;

import io.uctrust.capf.OnlineCaClient;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.Document;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.cluster.Operation;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The online CA preflight of the CAPF guide, in the plan before anything changes: the CA's host name resolves, its
 * HTTPS certificate's CN is that host name, and CAPF will trust that certificate because what issued it is in
 * CAPF-trust (now, or uploaded earlier in this plan, as the guide's upload table asks: the CA root, and the HTTPS
 * certificate itself when the root did not issue it). A definite problem is a manual step naming exactly what is
 * missing; a CA that cannot be reached from where uctrust runs is a check (CAPF may well reach it). FIPS-mode
 * clusters cannot use an online CA at all.
 *
 * <p>Not for: probing (the reconciler probes from this machine and hands the result in), or the phones' sessions.
 */
final class OnlineCaPreflight {

  void plan(PlanContext context) {
    Document<CapfSpec> capf = context.capf().orElse(null);
    if (capf == null || capf.spec().issuer() != CapfIssuer.ONLINE_CA || capf.spec().onlineCa() == null
        || capf.spec().onlineCa().hostname() == null) {
      return;
    }
    String host = capf.spec().onlineCa().hostname();
    String source = context.desired.source(capf, "spec.onlineCa.hostname");
    if (context.observed.security().fipsMode()) {
      manual(context, host, "the cluster runs in FIPS mode, where CAPF cannot use an online CA; use cisco-capf or offline-ca",
          source);
      return;
    }
    uploadTrust(context, capf);
    OnlineCaClient.Probe probe = context.onlineCaProbe;
    if (probe == null) {
      context.notes.add("online CA preflight of " + host + " was not run (no live cluster); CAPF must resolve it and trust "
          + "its HTTPS certificate");
      return;
    }
    if (!probe.resolved() || probe.servedChain().isEmpty()) {
      context.add(Phase.MANUAL, Action.CHECK, "online-ca-preflight", host, "(not reachable from here)", "reachable, trusted",
          "online CA preflight from this machine: " + (probe.resolved() ? "" : host + " does not resolve; ")
              + (probe.error() == null ? "no TLS answer" : probe.error()) + "; check that the CAPF server (the publisher) "
              + "resolves and reaches it, or phones fail with CA Communication Failure", source, Impact.NONE, List.of(),
          List.of());
      return;
    }
    X509Certificate leaf = probe.servedChain().get(0);
    CertificateFacts facts = CertificateFacts.of(leaf);
    if (!host.equalsIgnoreCase(facts.commonName())) {
      manual(context, host, "the HTTPS certificate " + host + " serves has CN '" + facts.commonName() + "'; the Online CA "
          + "Hostname must equal it (CAPF refuses the connection otherwise)", source);
      return;
    }
    List<X509Certificate> anchors = capfTrust(context, capf);
    boolean trusted = anchors.stream().anyMatch(a -> CertificateFacts.of(a).sha256().equals(facts.sha256()))
        || ChainValidator.validate(probe.servedChain(), anchors, context.clock.instant()).valid();
    if (!trusted) {
      // What the network served is not trusted on its own word: the administrator names the root in git.
      manual(context, host, "CAPF-trust does not trust the HTTPS certificate " + host + " serves (issued by "
          + leaf.getIssuerX500Principal().getName() + ")" + (capf.spec().onlineCa().caCertificate() == null
              ? "; set spec.onlineCa.caCertificate to the CA root that issued it"
              : "; spec.onlineCa.caCertificate is not the root that issued it: name that root, and set "
                  + "spec.onlineCa.httpsCertificate when the CA root did not issue the HTTPS certificate")
          + " (the guide's upload table); the plan then uploads them to CAPF-trust and CallManager-trust first", source);
    }
  }

  /**
   * The guide's upload table as derived trust changes: the CA root into CAPF-trust and CallManager-trust, and the
   * HTTPS certificate into CAPF-trust when the root neither is it nor issued it: CAPF-trust on the publisher (where
   * CAPF runs), CallManager-trust on every Unified CM node; skipped where present or uploaded by a TrustStore document.
   */
  private static void uploadTrust(PlanContext context, Document<CapfSpec> capf) {
    CapfSpec.OnlineCa online = capf.spec().onlineCa();
    if (online.caCertificate() == null) {
      return;
    }
    List<String> roots = context.desired.certificates(capf, online.caCertificate());
    if (roots.isEmpty()) {
      return;
    }
    X509Certificate root = Pem.certificate(roots.get(0));
    upload(context, capf, "spec.onlineCa.caCertificate", roots.get(0), List.of(Store.CAPF_TRUST, Store.CALLMANAGER_TRUST),
        "online CA root: CAPF verifies the CA's HTTPS certificate and phones verify their LSCs with it");
    if (online.httpsCertificate() == null) {
      return;
    }
    List<String> https = context.desired.certificates(capf, online.httpsCertificate());
    if (https.isEmpty()) {
      return;
    }
    X509Certificate served = Pem.certificate(https.get(0));
    boolean coveredByRoot = served.equals(root) || served.getIssuerX500Principal().equals(root.getSubjectX500Principal());
    if (!coveredByRoot) {
      upload(context, capf, "spec.onlineCa.httpsCertificate", https.get(0), List.of(Store.CAPF_TRUST),
          "online CA HTTPS certificate, not issued by the CA root: CAPF trusts it directly");
    }
  }

  private static void upload(PlanContext context, Document<CapfSpec> capf, String field, String pem, List<Store> stores,
      String why) {
    ObservedCluster.Certificate certificate = Snapshots.certificate(pem);
    String source = context.desired.source(capf, field);
    for (Store store : stores) {
      for (ObservedCluster.Node node : context.observed.nodes()) {
        // CAPF runs on the publisher alone; every CallManager verifies the LSCs.
        boolean unifiedCm = store == Store.CAPF_TRUST ? node.role() == ClusterSpec.NodeRole.CUCM_PUBLISHER
            : node.role() == null || !node.role().isImAndPresence();
        boolean present = node.trust().stream()
            .anyMatch(t -> t.store() == store && t.certificate().sha256().equals(certificate.sha256()));
        if (unifiedCm && !present && !uploading(context, node, store, certificate)) {
          context.add(Phase.TRUST, Action.CREATE, "trust-certificate", TrustPlanner.address(node, store, certificate), "",
              TrustPlanner.describe(certificate), "derived from " + capf.address() + " " + field + " (the guide's upload "
                  + "table): " + why, source, Impact.restarting(Restarts.afterTrust(store, node)),
              new Operation.UploadTrust(node.name(), store, pem, certificate.commonName()));
        }
      }
    }
  }

  private static boolean uploading(PlanContext context, ObservedCluster.Node node, Store store,
      ObservedCluster.Certificate certificate) {
    return context.drafts.stream().anyMatch(c -> c.operations().stream().anyMatch(op -> op instanceof Operation.UploadTrust u
        && u.node().equals(node.name()) && u.store() == store
        && Snapshots.certificate(u.pem()).sha256().equals(certificate.sha256())));
  }

  private static void manual(PlanContext context, String host, String problem, String source) {
    context.add(Phase.MANUAL, Action.MANUAL, "online-ca-preflight", host, "", "online CA usable",
        "online CA preflight: " + problem, source, Impact.NONE, List.of(), List.of());
  }

  /**
   * The certificates the desired state names (TrustStore documents, the Capf document's online CA files) that will
   * be in CAPF-trust after this plan's uploads: the anchors CAPF verifies the CA's HTTPS certificate with.
   */
  private static List<X509Certificate> capfTrust(PlanContext context, Document<CapfSpec> capf) {
    Set<String> trusted = context.capfTrustAfterPlan();
    List<String> pems = new ArrayList<>();
    for (Document<TrustStoreSpec> doc : context.documents(context.desired.state().trustStores())) {
      doc.spec().certificates().forEach(entry -> pems.addAll(context.desired.certificates(doc, entry.file())));
    }
    CapfSpec.OnlineCa online = capf.spec().onlineCa();
    for (String file : Arrays.asList(online.caCertificate(), online.httpsCertificate())) {
      if (file != null) {
        pems.addAll(context.desired.certificates(capf, file));
      }
    }
    List<X509Certificate> anchors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String pem : pems) {
      X509Certificate certificate = Pem.certificate(pem);
      String sha256 = CertificateFacts.of(certificate).sha256();
      if (trusted.contains(sha256) && seen.add(sha256)) {
        anchors.add(certificate);
      }
    }
    return anchors;
  }
}
