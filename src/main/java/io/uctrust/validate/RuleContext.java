package io.uctrust.validate;

import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.ClusterNode;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.NodeSelection;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.PemCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a {@link Rule} works with: the clock, the options, cached certificate files, cluster lookups,
 * and the sink for its findings.
 */
final class RuleContext {
  private final DesiredState state;
  private final List<Document<ClusterSpec>> incompleteClusters;
  private final Clock clock;
  private final ValidationOptions options;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Map<Path, Object> certificateFiles = new HashMap<>();

  RuleContext(DesiredState state, List<Document<?>> incomplete, Clock clock, ValidationOptions options) {
    this.state = state;
    this.incompleteClusters = incomplete.stream().filter(d -> d.kind() == Kind.CLUSTER)
        .map(d -> {
          @SuppressWarnings("unchecked")
          Document<ClusterSpec> cluster = (Document<ClusterSpec>) d;
          return cluster;
        }).toList();
    this.clock = clock;
    this.options = options;
  }

  Clock clock() {
    return clock;
  }

  ValidationOptions options() {
    return options;
  }

  List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  void error(Document<?> doc, String path, String code, String message, String hint) {
    diagnostics.add(Diagnostic.error(code, doc.locate(path), message, hint));
  }

  void warning(Document<?> doc, String path, String code, String message, String hint) {
    diagnostics.add(Diagnostic.warning(code, doc.locate(path), message, hint));
  }

  /**
   * The certificates of a PEM file named in {@code doc} at {@code path}; reports a missing or
   * unreadable file there and returns empty.
   */
  Optional<List<CertificateFacts>> certificates(Document<?> doc, String path, String relative) {
    Path file = doc.resolve(relative);
    Object cached = certificateFiles.computeIfAbsent(file, RuleContext::readCertificates);
    if (cached instanceof String problem) {
      error(doc, path, "certificate-file", "'" + relative + "' " + problem,
          "give a PEM file path relative to " + doc.file().getFileName());
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<CertificateFacts> facts = (List<CertificateFacts>) cached;
    return Optional.of(facts);
  }

  private static Object readCertificates(Path file) {
    if (!Files.isRegularFile(file)) {
      return "does not exist";
    }
    try {
      return PemCertificates.read(file).stream().map(CertificateFacts::of).toList();
    } catch (PemCertificates.UnreadableCertificateException e) {
      return e.getMessage();
    } catch (IOException e) {
      return "cannot be read";
    }
  }

  /**
   * Every Cluster document, including those with structural errors (already reported): they still say
   * which cluster the other documents belong to.
   */
  List<Document<ClusterSpec>> allClusters() {
    List<Document<ClusterSpec>> all = new ArrayList<>(state.clusters());
    all.addAll(incompleteClusters);
    return all;
  }

  /** The Cluster document a document belongs to, if it can be told. */
  Optional<Document<ClusterSpec>> clusterOf(Document<?> doc) {
    if (doc.kind() == Kind.CLUSTER) {
      @SuppressWarnings("unchecked")
      Document<ClusterSpec> self = (Document<ClusterSpec>) doc;
      return Optional.of(self);
    }
    String wanted = doc.metadata().cluster();
    List<Document<ClusterSpec>> clusters = allClusters();
    if (wanted == null) {
      return clusters.size() == 1 ? Optional.of(clusters.get(0)) : Optional.empty();
    }
    return clusters.stream().filter(c -> c.name().equals(wanted)).findFirst();
  }

  /**
   * The nodes of the document's cluster by name, in declaration order; empty when unknown, or when the
   * Cluster document has structural errors (its node list may be partial, so references are not judged).
   */
  Map<String, ClusterNode> nodes(Document<?> doc) {
    return clusterOf(doc).filter(c -> !incompleteClusters.contains(c))
        .map(c -> c.spec().nodes().stream()
            .collect(Collectors.toMap(ClusterNode::name, n -> n, (a, b) -> a, LinkedHashMap::new)))
        .orElse(new LinkedHashMap<>());
  }

  /** Documents of {@code kind} that belong to the same cluster as {@code doc}. */
  <S> List<Document<S>> sameCluster(Document<?> doc, Kind kind, Class<S> spec) {
    Optional<Document<ClusterSpec>> cluster = clusterOf(doc);
    return state.of(kind, spec).stream()
        .filter(other -> clusterOf(other).equals(cluster))
        .toList();
  }

  /**
   * Checks that every node named in {@code selection} exists in the cluster and satisfies {@code
   * allowed}; reports at {@code path}.
   */
  void checkNodes(Document<?> doc, String path, NodeSelection selection,
      Predicate<ClusterNode> allowed, String notAllowed) {
    if (selection == null || selection.all()) {
      return;
    }
    Map<String, ClusterNode> nodes = nodes(doc);
    if (nodes.isEmpty()) {
      return;
    }
    for (int i = 0; i < selection.names().size(); i++) {
      checkNode(doc, path + "[" + i + "]", selection.names().get(i), nodes, allowed, notAllowed);
    }
  }

  /** Checks one node reference; returns the node when it exists. */
  Optional<ClusterNode> checkNode(Document<?> doc, String path, String name, Map<String, ClusterNode> nodes,
      Predicate<ClusterNode> allowed, String notAllowed) {
    ClusterNode node = nodes.get(name);
    if (node == null) {
      String suggestion = io.uctrust.desired.Suggestion.closest(name, nodes.keySet());
      error(doc, path, "unknown-node", "unknown node '" + name + "'"
          + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"),
          "nodes of the cluster: " + String.join(", ", nodes.keySet()));
      return Optional.empty();
    }
    if (!allowed.test(node)) {
      error(doc, path, "node-role", "node '" + name + "' (" + io.uctrust.desired.Spelling.Of.yaml(node.role())
          + ") " + notAllowed, null);
    }
    return Optional.of(node);
  }

  /** SHA-256 fingerprints of every certificate that TrustStore documents of the cluster put in {@code store}. */
  Set<String> trusted(Document<?> doc, TrustStoreSpec.Store store) {
    Set<String> fingerprints = new java.util.HashSet<>();
    for (Document<TrustStoreSpec> ts : sameCluster(doc, Kind.TRUST_STORE, TrustStoreSpec.class)) {
      if (ts.spec().store() != store) {
        continue;
      }
      for (TrustStoreSpec.TrustCertificate c : ts.spec().certificates()) {
        Object cached = certificateFiles.computeIfAbsent(ts.resolve(c.file()), RuleContext::readCertificates);
        if (cached instanceof List<?> list) {
          list.forEach(f -> fingerprints.add(((CertificateFacts) f).sha256()));
        }
      }
    }
    return fingerprints;
  }
}
