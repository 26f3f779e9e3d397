package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.Document;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trust store changes: upload what the desired state lists and a node lacks; remove the manufacturing
 * roots where asked; with {@code prune}, remove certificates uctrust itself added that are no longer
 * listed (nor needed by the Unified CM / IM and Presence exchange, {@link TrustExchangePlanner}). Certificates uctrust did not add are never removed except the named manufacturing roots.
 */
final class TrustPlanner {

  void plan(PlanContext context) {
    // Everything the desired state puts in each (node, store), across documents, so pruning sees the union.
    Map<String, Set<String>> wanted = new HashMap<>();
    List<Document<TrustStoreSpec>> documents = context.documents(context.desired.state().trustStores());
    for (Document<TrustStoreSpec> doc : documents) {
      for (ObservedCluster.Node node : nodes(context, doc)) {
        Set<String> set = wanted.computeIfAbsent(node.name() + "|" + doc.spec().store(), k -> new HashSet<>());
        certificates(context, doc).values().forEach(c -> set.add(c.certificate.sha256()));
      }
    }
    // what the Unified CM / IM and Presence exchange needs stays, though no document lists it
    Set<String> exchanged = TrustExchangePlanner.needed(context.observed);
    Set<String> uploading = new HashSet<>();
    for (Document<TrustStoreSpec> doc : documents) {
      Store store = doc.spec().store();
      Map<String, Wanted> certificates = certificates(context, doc);
      for (ObservedCluster.Node node : nodes(context, doc)) {
        List<ObservedCluster.TrustEntry> present = node.trust().stream().filter(t -> t.store() == store).toList();
        Set<String> have = new HashSet<>();
        present.forEach(t -> have.add(t.certificate().sha256()));
        for (Wanted w : certificates.values()) {
          // Several documents may list the same certificate for one node and store: the first one uploads it.
          if (!have.contains(w.certificate.sha256())
              && uploading.add(node.name() + "|" + store + "|" + w.certificate.sha256())) {
            context.add(Phase.TRUST, Action.CREATE, "trust-certificate", address(node, store, w.certificate), "",
                describe(w.certificate), "listed in " + doc.address() + ", missing on the node", w.source,
                Impact.restarting(Restarts.afterTrust(store, node)),
                new Operation.UploadTrust(node.name(), store, w.pem, w.description));
          }
        }
        Set<String> keep = wanted.getOrDefault(node.name() + "|" + store, Set.of());
        for (ObservedCluster.TrustEntry entry : present) {
          String reason = null;
          if (Boolean.TRUE.equals(doc.spec().removeManufacturingRoots()) && store == Store.CALLMANAGER_TRUST
              && entry.owner() == ObservedCluster.Owner.CISCO
              && TrustStoreSpec.MANUFACTURING_ROOTS.contains(entry.certificate().commonName())) {
            reason = "Cisco manufacturing root; " + doc.address() + " sets removeManufacturingRoots";
          } else if (Boolean.TRUE.equals(doc.spec().prune()) && entry.owner() == ObservedCluster.Owner.UCTRUST
              && !keep.contains(entry.certificate().sha256())
              && !exchanged.contains(node.name() + "|" + store + "|" + entry.certificate().sha256())) {
            reason = "added by uctrust and no longer listed; " + doc.address() + " sets prune";
          }
          if (reason != null && !removalPlanned(context, node, store, entry)) {
            context.add(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", address(node, store, entry.certificate()),
                describe(entry.certificate()), "", reason, context.desired.source(doc, "spec"),
                Impact.restarting(Restarts.afterTrust(store, node)),
                new Operation.RemoveTrust(node.name(), store, entry.certificate().sha256(), entry.certificate().subject()));
          }
        }
      }
    }
  }

  private static boolean removalPlanned(PlanContext context, ObservedCluster.Node node, Store store,
      ObservedCluster.TrustEntry entry) {
    return context.drafts.stream().anyMatch(c -> c.operations().stream().anyMatch(op -> op instanceof Operation.RemoveTrust r
        && r.node().equals(node.name()) && r.store() == store && r.sha256().equals(entry.certificate().sha256())));
  }

  /** The nodes a TrustStore document manages: all nodes that have the store, or the listed ones. */
  static List<ObservedCluster.Node> nodes(PlanContext context, Document<TrustStoreSpec> doc) {
    Store store = doc.spec().store();
    List<ObservedCluster.Node> nodes = new ArrayList<>();
    for (ObservedCluster.Node node : context.observed.nodes()) {
      boolean has = node.role() == null || (node.role().isImAndPresence() ? store.onImAndPresence() : store.onUnifiedCm());
      boolean selected = doc.spec().nodes() == null || doc.spec().nodes().all() || doc.spec().nodes().names().contains(node.name());
      if (has && selected) {
        nodes.add(node);
      }
    }
    return nodes;
  }

  private record Wanted(String pem, ObservedCluster.Certificate certificate, String description, String source) {}

  private static Map<String, Wanted> certificates(PlanContext context, Document<TrustStoreSpec> doc) {
    Map<String, Wanted> out = new LinkedHashMap<>();
    List<TrustStoreSpec.TrustCertificate> entries = doc.spec().certificates();
    for (int i = 0; i < entries.size(); i++) {
      TrustStoreSpec.TrustCertificate entry = entries.get(i);
      String source = context.desired.source(doc, "spec.certificates[" + i + "].file");
      for (String pem : context.desired.certificates(doc, entry.file())) {
        ObservedCluster.Certificate certificate = Snapshots.certificate(pem);
        String description = entry.description() != null ? entry.description() : certificate.commonName();
        out.putIfAbsent(certificate.sha256(), new Wanted(pem, certificate, description, source));
      }
    }
    return out;
  }

  static String address(ObservedCluster.Node node, Store store, ObservedCluster.Certificate certificate) {
    return node.name() + "/" + store.yaml() + "/" + certificate.commonName();
  }

  static String describe(ObservedCluster.Certificate certificate) {
    return certificate.subject() + " (sha256 " + certificate.sha256().substring(0, 16) + ", expires "
        + certificate.notAfter().toString().substring(0, 10) + ")";
  }

  static boolean isIm(ObservedCluster.Node node) {
    return node.role() == NodeRole.IMP_PUBLISHER || node.role() == NodeRole.IMP_SUBSCRIBER;
  }
}
