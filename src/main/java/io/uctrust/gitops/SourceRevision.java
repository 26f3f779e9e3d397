package io.uctrust.gitops;

import java.time.Instant;
import java.util.Objects;

/**
 * The commit a desired state was read from: recorded in plans, so a saved plan knows which commit it was
 * made from and people see what they are looking at.
 *
 * <p>Not for: proving who wrote the commit. Author and subject are what the commit says about itself; a
 * signature check (if any) happens before the checkout, not here.
 *
 * @param url the repository URL as given (never with a password)
 * @param commit the full 40-hex commit SHA
 * @param author the commit's author as {@code name <email>}
 * @param subject the first line of the commit message
 * @param committedAt when it was committed (the committer's time)
 */
public record SourceRevision(String url, String commit, String author, String subject, Instant committedAt) {

  /** How many hex digits {@link #shortCommit()} shows. */
  public static final int SHORT = 12;

  public SourceRevision {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(commit, "commit");
    if (!commit.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not a full commit SHA: " + commit);
    }
  }

  /** The first {@value #SHORT} hex digits of the commit. */
  public String shortCommit() {
    return commit.substring(0, SHORT);
  }

  /** One line for people: {@code <url> @ <short sha> "subject" (author)}. */
  public String describe() {
    return url + " @ " + shortCommit() + " \"" + subject + "\" (" + author + ")";
  }
}
