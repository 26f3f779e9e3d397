package io.uctrust.diff;

import io.uctrust.diagnostic.Diagnostic;
import java.util.List;
import java.util.Set;

/**
 * A comparison of two revisions of a desired-state folder as the renderers show it: which revisions, what
 * changed, and what a reviewer should know about each revision (it does not validate, the folder is missing,
 * files whose documents could not be compared).
 *
 * <p>Not for: deciding whether to apply anything; it says nothing about a cluster.
 *
 * @param folder the desired-state folder, relative to the repository root ({@code ""} for the root)
 */
public record DiffReport(String folder, Side from, Side to, DesiredDiff diff) {

  /**
   * One revision: as the user named it, the commit it resolved to, and its snapshot's verdicts.
   *
   * @param revision as given ({@code main~1})
   * @param commit the full commit id
   */
  public record Side(String revision, String commit, boolean exists, List<Diagnostic> errors,
      Set<String> unreadableFiles) {

    public Side {
      errors = List.copyOf(errors);
      unreadableFiles = Set.copyOf(unreadableFiles);
    }

    /** The side of {@code snapshot}, read from {@code commit}. */
    public static Side of(String revision, String commit, DesiredSnapshot snapshot) {
      return new Side(revision, commit, snapshot.exists(), snapshot.errors(), snapshot.unreadableFiles());
    }

    /** {@code main~1 (1a2b3c4)}; just the short commit when that is what was given. */
    public String label() {
      return namesCommit() ? shortCommit() : revision + " (" + shortCommit() + ")";
    }

    /** The first 7 digits of the commit id. */
    public String shortCommit() {
      return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }

    /** Whether the revision was given as (a prefix of) the commit id. */
    public boolean namesCommit() {
      return revision.length() >= 4 && commit.startsWith(revision.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the reviewer needs a warning about this revision. */
    public boolean warns() {
      return !exists || !errors.isEmpty() || !unreadableFiles.isEmpty();
    }
  }

  /** The folder as shown: {@code .} for the repository root. */
  public String folderShown() {
    return folder.isEmpty() ? "." : folder;
  }
}
