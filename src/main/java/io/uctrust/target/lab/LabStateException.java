package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;

/** The lab's state on disk cannot be used (corrupt, locked, unwritable); the message says what to do. */
public final class LabStateException extends ClusterException {
  private static final long serialVersionUID = 1L;

  public LabStateException(String message) {
    super(message);
  }

  public LabStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
