package io.uctrust.diff;

import java.util.Map;

/**
 * One desired-state document of a revision as a plain tree, identified as reviewers think of it: kind,
 * cluster and {@code metadata.name}. Read from YAML without binding, so that a document the model rejects
 * still compares.
 *
 * <p>Not for: anything that needs a valid document; use the loader's {@code Document} for that.
 *
 * @param kind {@code kind} as written ({@code "?"} when missing)
 * @param cluster the cluster it belongs to: {@code metadata.cluster}, the Cluster document's own name, or the
 *     only Cluster of the revision; null when none of these says
 * @param name {@code metadata.name} ({@code "?"} when missing)
 * @param file the YAML file, relative to the repository (or folder) root
 * @param line the line where the document starts
 * @param tree the document: maps, lists, strings, numbers, booleans, nulls and {@link RedactedSecret}s
 * @param lines where each value was written: raw field path ({@code spec.certificates[0].file}) to line
 * @param files the files its non-secret text values refer to, by raw field path
 */
public record SnapshotDocument(String kind, String cluster, String name, String file, int line,
    Map<String, Object> tree, Map<String, Integer> lines, Map<String, ReferencedFile> files) {

  public SnapshotDocument {
    // YAML nulls are values here, which Map.copyOf refuses; the reader hands over a tree nobody else holds.
    tree = java.util.Collections.unmodifiableMap(tree);
    lines = Map.copyOf(lines);
    files = Map.copyOf(files);
  }

  /** A file named by a value of the document, as written and as found. */
  public record ReferencedFile(String written, String path, FileSummary summary) {}

  /** The same document assigned to {@code otherCluster}. */
  SnapshotDocument inCluster(String otherCluster) {
    return new SnapshotDocument(kind, otherCluster, name, file, line, tree, lines, files);
  }

  /** {@code Kind/name}, as documents are named in messages. */
  public String address() {
    return kind + "/" + name;
  }
}
