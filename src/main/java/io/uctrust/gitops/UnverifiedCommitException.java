package io.uctrust.gitops;

import org.eclipse.jgit.lib.ObjectId;

/**
 * A commit whose signature does not establish that a trusted key made it, so nothing from it may be applied. The
 * message is for the user as it is: it names the commit (short id and subject) and the reason, and holds no secrets.
 *
 * <p>Not for: problems reading the repository or the keyring (those are {@link java.io.IOException}s), or for
 * commits that are fine.
 */
public final class UnverifiedCommitException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the commit is refused, for callers that act on the kind (the message already says it to the user). */
  public enum Reason {
    /** The commit has no signature at all. */
    NOT_SIGNED,
    /** Signed, but not with OpenPGP (SSH or X.509), which is not verified. */
    UNSUPPORTED_FORMAT,
    /** The signature does not match the commit (changed after signing), or cannot be read. */
    BAD_SIGNATURE,
    /** A good-looking signature by a key that is not in the trusted keyring. */
    UNTRUSTED_KEY,
    /** Made by a trusted key that could not sign at that time: revoked, expired, not bound or not a signing key. */
    INVALID_KEY
  }

  private final ObjectId commit;
  private final Reason reason;

  UnverifiedCommitException(ObjectId commit, Reason reason, String message) {
    super(message);
    this.commit = commit.copy();
    this.reason = reason;
  }

  /** The refused commit. */
  public ObjectId commit() {
    return commit;
  }

  /** Why it was refused. */
  public Reason reason() {
    return reason;
  }
}
