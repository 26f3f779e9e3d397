package io.uctrust.controller;

/**
 * The controller's HTTP side cannot start: the listen address is taken or not local, or the webhook secret
 * reference cannot be read. The message is one line for the user, names the address or reference, and never
 * holds a secret.
 *
 * <p>Not for: errors while serving (those are answered with a status code and logged).
 */
public class ControllerHttpException extends Exception {
  private static final long serialVersionUID = 1L;

  public ControllerHttpException(String message) {
    super(message);
  }

  public ControllerHttpException(String message, Throwable cause) {
    super(message, cause);
  }
}
