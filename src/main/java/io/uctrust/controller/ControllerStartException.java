package io.uctrust.controller;

/**
 * The controller cannot start or be administered: its database cannot be opened, a secret reference cannot be read, the
 * HTTP address cannot be bound, or Quartz refuses its settings. The message is one line for the user, names what
 * failed, and never holds a secret.
 *
 * <p>Not for: an invalid configuration (that is a {@link ControllerConfigLoader} report with positions), or failures
 * of a run (those are recorded in the run history).
 */
public final class ControllerStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public ControllerStartException(String message) {
    super(message);
  }

  public ControllerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
