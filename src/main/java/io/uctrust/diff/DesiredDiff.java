package io.uctrust.diff;

import java.util.List;
import java.util.Objects;

/**
 * What changed in the desired state between two revisions: documents added, removed or changed (with the
 * fields that changed), and offline CA files added, removed or changed. Values are plain YAML values with
 * literal secrets already redacted.
 *
 * <p>Not for: what a cluster needs (a plan compares with the cluster, this compares two revisions).
 *
 * @param documents changed documents, by kind (in the model's order), cluster and name
 * @param files changed files under {@code offline-ca/signed} and {@code offline-ca/pending}, by path
 * @param clusters every cluster named in either revision, so that output can leave it out when there is one
 */
public record DesiredDiff(List<DocumentChange> documents, List<FileChange> files, List<String> clusters) {

  public DesiredDiff {
    documents = List.copyOf(documents);
    files = List.copyOf(files);
    clusters = List.copyOf(clusters);
  }

  /** Whether the desired state differs at all. */
  public boolean hasChanges() {
    return !documents.isEmpty() || !files.isEmpty();
  }

  public long count(Change change) {
    return documents.stream().filter(d -> d.change() == change).count();
  }

  /** What happened to a document, field or file. */
  public enum Change {
    ADDED("+"),
    REMOVED("-"),
    CHANGED("~");

    private final String sign;

    Change(String sign) {
      this.sign = sign;
    }

    /** {@code +}, {@code -} or {@code ~}, as the text output marks it. */
    public String sign() {
      return sign;
    }

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One document that was added, removed or changed, with where it is written (in the revision that has it;
   * the later one for changes) and its field changes: every field for an added or removed document.
   */
  public record DocumentChange(Change change, String kind, String cluster, String name, String file, int line,
      List<FieldChange> fields) {

    public DocumentChange {
      fields = List.copyOf(fields);
    }

    /** {@code Kind/name}, as documents are named in messages. */
    public String address() {
      return kind + "/" + name;
    }
  }

  /**
   * One field that was added, removed or changed, at a display path such as {@code spec.keepAliveMinutes} or
   * {@code spec.certificates[file=certs/root.pem].description} (list items with a {@code name}, {@code file},
   * {@code node} or {@code host} are matched by it, others by position). When the value names a file, its
   * summary before and after; a change with equal values is a change of the named file's content.
   */
  public record FieldChange(Change change, String path, Object before, Object after, FileSummary beforeFile,
      FileSummary afterFile, int line) {

    /** Whether only the content of the file the unchanged value names changed. */
    public boolean contentOnly() {
      return change == Change.CHANGED && Objects.equals(before, after);
    }
  }

  /** An offline CA file (signed certificate or pending request) that was added, removed or changed. */
  public record FileChange(Change change, String path, FileSummary before, FileSummary after) {}
}
