package io.uctrust.controller;

/**
 * The controller's database failed an operation (unreachable, refused a statement, or kept losing a race), with a
 * one-line message naming what uctrust was doing and the driver's reason. Unchecked, because the interfaces the
 * stores implement (such as {@link NotificationLedger}) have no database in them; the controller's job reports it
 * as a failed run and tries again on its next.
 *
 * <p>Not for: invalid configuration (found before the database is used) or anything carrying secrets: messages
 * name tables and operations, never connection passwords.
 */
public final class ControllerDatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ControllerDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  public ControllerDatabaseException(String message) {
    super(message);
  }
}
