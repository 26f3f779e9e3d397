package io.uctrust.cluster;

/** A cluster could not be read or could not perform an operation; the message is for the user and holds no secrets. */
public class ClusterException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
