package io.uctrust.target.cucm.cli;

import io.uctrust.cluster.ClusterException;
import java.util.Objects;

/**
 * The admin CLI could not be reached, refused a command, or printed something uctrust does not recognise.
 * {@link #kind()} says which, for callers that react differently (a changed host key is never retried, a
 * timeout leaves the effect of the command unknown). The message names the host and, for command
 * failures, the command and the session transcript; passwords, passphrases and registered secrets are
 * replaced by {@code <redacted>} before they get here.
 *
 * <p>Not for: carrying raw output (the transcript is redacted and may be shortened), or errors of other
 * cluster interfaces.
 */
public final class AdminCliException extends ClusterException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The known_hosts file is missing or unreadable. */
    KNOWN_HOSTS,
    /** The server's host key is not in the known_hosts file (no trust on first use). */
    HOST_KEY_UNKNOWN,
    /** The known_hosts file holds another key for the host: changed key or man in the middle. */
    HOST_KEY_CHANGED,
    /** The server's host key is marked {@code @revoked}. */
    HOST_KEY_REVOKED,
    /** The private key file could not be read or decrypted. */
    PRIVATE_KEY,
    /** No TCP connection or SSH session could be set up. */
    CONNECT,
    /** The server refused the user's password or key. */
    AUTHENTICATION,
    /** The connection closed, before the prompt or in the middle of a command. */
    DISCONNECTED,
    /** No prompt (or expected question) within the step's timeout; the session was closed. */
    TIMEOUT,
    /**
     * The command kept asking questions (more answered than a command needs); a question that has no answer
     * in the table ends in {@link #TIMEOUT}, naming the line the CLI waits on.
     */
    UNANSWERED_QUESTION,
    /** The command ran and said it failed (an error line). */
    REFUSED,
    /** The output does not have a shape uctrust recognises. */
    UNRECOGNISED_OUTPUT,
    /** The command said it succeeded but reading the state back shows otherwise. */
    NOT_APPLIED
  }

  private final Kind kind;
  private final String command;
  private final String transcript;

  AdminCliException(Kind kind, String message) {
    this(kind, message, null, null, null);
  }

  AdminCliException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, null, cause);
  }

  AdminCliException(Kind kind, String message, String command, String transcript, Throwable cause) {
    super(message + (transcript == null || transcript.isEmpty() ? "" : "\n--- transcript (redacted) ---\n"
        + transcript + "\n--- end of transcript ---"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.command = command;
    this.transcript = transcript == null ? "" : transcript;
  }

  public Kind kind() {
    return kind;
  }

  /** The command that failed (redacted), or null for connection errors. */
  public String command() {
    return command;
  }

  /** The redacted transcript of the failed command ("" for connection errors). */
  public String transcript() {
    return transcript;
  }
}
