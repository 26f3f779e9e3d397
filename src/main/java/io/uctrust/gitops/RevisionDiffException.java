package io.uctrust.gitops;

/**
 * Why two revisions cannot be compared, in the user's terms: the folder is not in a git repository, a revision
 * does not resolve to a commit, the desired-state folder is in neither revision, or the repository cannot be
 * read. The message is one line for the command line and names no secret.
 *
 * <p>Not for: problems inside a revision's desired state; those are warnings of the comparison.
 */
public final class RevisionDiffException extends Exception {
  private static final long serialVersionUID = 1L;

  public RevisionDiffException(String message) {
    super(message);
  }

  public RevisionDiffException(String message, Throwable cause) {
    super(message, cause);
  }
}
