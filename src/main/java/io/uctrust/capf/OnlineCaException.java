package io.uctrust.capf;

import java.util.Objects;

/**
 * Why CAPF could not get a certificate from its online CA, by {@link Kind}, with a message that names the CA's
 * host and port and the reason (such as the CA's disposition message) and never a password.
 *
 * <p>Not for: failures of CAPF itself or of phones; only the exchange with the online CA.
 */
public final class OnlineCaException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in the order a request meets them. */
  public enum Kind {
    /** The CA's host name does not resolve. */
    UNRESOLVED,
    /** Nothing answers at the CA's address and port, or the connection broke. */
    UNREACHABLE,
    /** The CA's HTTPS certificate is not trusted (CAPF-trust) or does not name the configured host. */
    UNTRUSTED,
    /** The CA refused the user name or password. */
    UNAUTHORIZED,
    /** The CA denied the request (template, key, CSR); the message carries its disposition message. */
    DENIED,
    /** The CA answered something CAPF does not understand. */
    PROTOCOL
  }

  private final Kind kind;

  public OnlineCaException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public OnlineCaException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }
}
