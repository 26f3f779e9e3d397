package io.uctrust.validate;

import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.Suggestion;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rules across documents: unique names, one Cluster per document, one Capf/SipOAuth/Monitoring per cluster. */
final class DocumentRules implements Rule {

  private static final Set<Kind> ONE_PER_CLUSTER = EnumSet.of(Kind.CAPF, Kind.SIP_OAUTH, Kind.MONITORING);

  @Override
  public void check(DesiredState state, RuleContext context) {
    Map<String, Document<?>> names = new HashMap<>();
    for (Document<?> doc : state.documents()) {
      Document<?> first = names.putIfAbsent(doc.kind() + "/" + doc.name(), doc);
      if (first != null) {
        context.error(doc, "metadata.name", "duplicate-name", "another " + doc.kind().yaml() + " is named '"
            + doc.name() + "' (" + first.locate("metadata.name").render(state.root()) + ")",
            "names are unique per kind");
      }
    }
    List<Document<ClusterSpec>> clusters = context.allClusters();
    List<String> clusterNames = clusters.stream().map(Document::name).toList();
    Map<String, Document<?>> singletons = new HashMap<>();
    for (Document<?> doc : state.documents()) {
      if (doc.kind() == Kind.CLUSTER) {
        if (doc.metadata().cluster() != null && !doc.metadata().cluster().equals(doc.name())) {
          context.error(doc, "metadata.cluster", "cluster-reference",
              "a Cluster document cannot belong to another cluster", "remove metadata.cluster");
        }
        continue;
      }
      String wanted = doc.metadata().cluster();
      if (wanted != null && !clusterNames.contains(wanted)) {
        String suggestion = Suggestion.closest(wanted, clusterNames);
        context.error(doc, "metadata.cluster", "cluster-reference", "no Cluster document is named '" + wanted + "'"
            + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"),
            clusterNames.isEmpty() ? "add a Cluster document" : "clusters: " + String.join(", ", clusterNames));
        continue;
      }
      if (wanted == null && clusters.size() > 1) {
        context.error(doc, "metadata", "cluster-reference", "this folder has " + clusters.size()
            + " Cluster documents; say which one this document belongs to",
            "add metadata.cluster: one of " + String.join(", ", clusterNames));
        continue;
      }
      if (clusters.isEmpty()) {
        context.error(doc, "kind", "no-cluster", doc.kind().yaml() + " '" + doc.name()
            + "' has no Cluster document to belong to", "add a Cluster document (kind: Cluster) to the folder");
        continue;
      }
      if (ONE_PER_CLUSTER.contains(doc.kind())) {
        Optional<Document<ClusterSpec>> cluster = context.clusterOf(doc);
        String key = doc.kind() + "@" + cluster.map(Document::name).orElse("");
        Document<?> first = singletons.putIfAbsent(key, doc);
        if (first != null) {
          context.error(doc, "kind", "one-per-cluster", "a cluster has at most one " + doc.kind().yaml()
              + " document; '" + first.name() + "' (" + first.locate("kind").render(state.root())
              + ") already configures it", "merge the two documents");
        }
      }
    }
  }
}
