package io.uctrust.gitops;

/**
 * The desired state cannot be read from git, for a reason the user can act on: the remote cannot be
 * reached, authentication or the host key was refused, the ref or path does not exist, or the options do
 * not fit the URL. The message is one line, names the URL, and never contains a token.
 *
 * <p>Not for: bugs. A cache that is merely broken is cloned again, not reported.
 */
public final class GitSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  public GitSourceException(String message) {
    super(message);
  }

  /** With {@code cause} kept for callers that tell reasons apart (an {@link UnverifiedCommitException}, say). */
  public GitSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
