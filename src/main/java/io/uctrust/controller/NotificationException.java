package io.uctrust.controller;

/**
 * A channel could not deliver a message: the server was unreachable, refused the login or the message, or the
 * channel's settings (secret references, trust file) could not be used. The message names the channel and the
 * problem, never a password or signing secret.
 *
 * <p>Not for: notifications held back by de-duplication; those are not failures.
 */
public final class NotificationException extends Exception {
  private static final long serialVersionUID = 1L;

  public NotificationException(String message) {
    super(message);
  }

  public NotificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
