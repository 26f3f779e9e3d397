package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.Document;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.Pem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes the self-signed trust certificates a CA-signed identity left behind (seed 001, "IM and Presence Service
 * からの自己署名信頼証明書の削除": replacing a self-signed identity with a CA-signed one leaves the old certificate in the
 * service trust stores). A trust entry is removed only when all of these hold:
 *
 * <ol>
 *   <li>its store is one the guide names for this cleanup: tomcat-trust, cup-xmpp-trust, cup-trust or ipsec-trust
 *       (never CallManager-trust, CAPF-trust or TVS-trust, which phones and their trust list depend on);
 *   <li>uctrust did not upload it (pruning handles those) and it is a self-signed end-entity certificate: never a CA
 *       certificate, so never a Cisco manufacturing root or an uploaded root;
 *   <li>its common name is a node of this cluster (its FQDN or host name), as Cisco names a node's self-signed
 *       certificates;
 *   <li>every service of that node whose identities belong in the store, with the entry's key type, now presents a
 *       CA-signed identity ("ensure a CA-signed certificate is already configured for the service");
 *   <li>the CA chain of each of those identities, up to its self-signed root, is in the same store on the node that
 *       holds the entry, so nothing that trusted the old certificate loses trust. This observation stands in for the
 *       guide's "wait 30 minutes for the CA-signed certificate to propagate": the chain is seen where it is needed;
 *   <li>no node presents the certificate now, and no TrustStore document of the desired state lists it.
 * </ol>
 *
 * Anything else stays, including old self-signed certificates of services still self-signed.
 */
final class SelfSignedCleanupPlanner {

  /** The stores the guide lists for removing self-signed trust certificates. */
  private static final Set<Store> STORES = EnumSet.of(Store.TOMCAT_TRUST, Store.CUP_XMPP_TRUST, Store.CUP_TRUST,
      Store.IPSEC_TRUST);

  static final String SEED = "seed: remove self-signed trust certificates once CA-signed ones replace them";

  void plan(PlanContext context) {
    Set<String> presented = new HashSet<>();
    context.observed.nodes().forEach(n -> n.identities().forEach(i -> presented.add(i.certificate().sha256())));
    Set<String> listed = listed(context);
    for (ObservedCluster.Node holder : context.observed.nodes()) {
      for (ObservedCluster.TrustEntry entry : holder.trust()) {
        ObservedCluster.Certificate certificate = entry.certificate();
        if (!STORES.contains(entry.store()) || entry.owner() == ObservedCluster.Owner.UCTRUST
            || !certificate.subject().equals(certificate.issuer()) || presented.contains(certificate.sha256())
            || listed.contains(certificate.sha256()) || certificate.pem() == null
            || Pem.certificate(certificate.pem()).getBasicConstraints() >= 0) {
          continue;
        }
        ObservedCluster.Node owner = nodeNamed(context.observed, certificate.commonName());
        String replacedBy = owner == null ? null : replacedBy(owner, holder, entry);
        if (replacedBy == null || removalDrafted(context, holder, entry)) {
          continue;
        }
        context.add(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate",
            TrustPlanner.address(holder, entry.store(), certificate), TrustPlanner.describe(certificate), "",
            "self-signed certificate of " + owner.name() + " left behind: " + replacedBy + "; no node presents it and "
                + "no TrustStore document lists it (" + SEED + ")", "",
            Impact.restarting(Restarts.afterTrust(entry.store(), holder)),
            new Operation.RemoveTrust(holder.name(), entry.store(), certificate.sha256(), certificate.subject()));
      }
    }
  }

  /**
   * Why the entry's services on {@code owner} no longer need it (each presents a CA-signed identity whose chain the
   * holder's store has), or null when one of them does or none is there.
   */
  private static String replacedBy(ObservedCluster.Node owner, ObservedCluster.Node holder,
      ObservedCluster.TrustEntry entry) {
    boolean ec = "EC".equals(entry.certificate().keyAlgorithm());
    List<String> replaced = new ArrayList<>();
    for (ObservedCluster.Identity identity : owner.identities()) {
      Service service = identity.service();
      if (service.trustStore() != entry.store() || service.ecdsa() != ec) {
        continue;
      }
      if (identity.selfSigned()) {
        return null;
      }
      TrustChain chain = TrustChain.of(identity.certificate(), holder, entry.store());
      if (!chain.complete()) {
        return null;
      }
      replaced.add(service.yaml() + " is CA-signed under " + chain.certificates().get(chain.certificates().size() - 1)
          .commonName() + ", which " + entry.store().yaml() + " here holds");
    }
    return replaced.isEmpty() ? null : String.join("; ", replaced);
  }

  /** The node a self-signed certificate's common name names: its FQDN or its host name, in any case. */
  private static ObservedCluster.Node nodeNamed(ObservedCluster observed, String commonName) {
    String cn = commonName.toLowerCase(Locale.ROOT);
    for (ObservedCluster.Node node : observed.nodes()) {
      String name = node.name().toLowerCase(Locale.ROOT);
      int dot = name.indexOf('.');
      if (cn.equals(name) || dot > 0 && cn.equals(name.substring(0, dot))) {
        return node;
      }
    }
    return null;
  }

  /** SHA-256 fingerprints of every certificate any TrustStore document of this cluster lists. */
  private static Set<String> listed(PlanContext context) {
    Set<String> listed = new HashSet<>();
    for (Document<TrustStoreSpec> doc : context.documents(context.desired.state().trustStores())) {
      for (TrustStoreSpec.TrustCertificate certificate : doc.spec().certificates()) {
        context.desired.certificates(doc, certificate.file()).forEach(pem -> listed.add(Snapshots.certificate(pem).sha256()));
      }
    }
    return listed;
  }

  private static boolean removalDrafted(PlanContext context, ObservedCluster.Node node, ObservedCluster.TrustEntry entry) {
    return context.drafts.stream().anyMatch(c -> c.operations().stream().anyMatch(op -> op instanceof Operation.RemoveTrust r
        && r.node().equals(node.name()) && r.store() == entry.store() && r.sha256().equals(entry.certificate().sha256())));
  }
}
