package io.uctrust.diff;

import io.uctrust.diagnostic.Diagnostic;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one revision of a desired-state folder says, ready for comparison: its documents as plain trees, the
 * files under {@code offline-ca/signed} and {@code offline-ca/pending}, the YAML files that could not be read
 * at all, and the validator's errors (file paths relative to the repository root).
 *
 * <p>Not for: planning or applying; it holds no bound model, and literal secrets are already redacted.
 *
 * @param folder the desired-state folder, relative to the repository root ({@code ""} for the root)
 * @param exists whether the folder exists in this revision
 * @param documents the documents, in file order
 * @param offlineCaFiles the offline CA's files by path (relative to the repository root)
 * @param unreadableFiles YAML files whose documents are unknown (syntax errors, limits): their documents are
 *     neither added nor removed by a comparison
 * @param errors why this revision does not validate; empty when it does
 */
public record DesiredSnapshot(String folder, boolean exists, List<SnapshotDocument> documents,
    Map<String, FileSummary> offlineCaFiles, Set<String> unreadableFiles, List<Diagnostic> errors) {

  public DesiredSnapshot {
    documents = List.copyOf(documents);
    offlineCaFiles = Map.copyOf(offlineCaFiles);
    unreadableFiles = Set.copyOf(unreadableFiles);
    errors = List.copyOf(errors);
  }

  /** A revision in which the folder does not exist: nothing in it. */
  public static DesiredSnapshot missing(String folder) {
    return new DesiredSnapshot(folder, false, List.of(), Map.of(), Set.of(), List.of());
  }

  /** Whether the validator accepts this revision. */
  public boolean valid() {
    return exists && errors.isEmpty();
  }
}
