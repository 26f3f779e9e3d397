package io.uctrust.target.cucm.platform;

import io.uctrust.cluster.ClusterException;

/**
 * uctrust refused to send a platform API request because the node would reject it or it breaks a
 * certificate rule (an identity chain out of order, a wildcard name, a key too large): nothing reached the
 * node. The message says what to fix.
 *
 * <p>Not for: answers of the node (those are plain {@link ClusterException}s), or programming errors in
 * arguments (those are {@link IllegalArgumentException}s).
 */
public final class PlatformRequestRefused extends ClusterException {
  private static final long serialVersionUID = 1L;

  public PlatformRequestRefused(String message) {
    super(message);
  }

  public PlatformRequestRefused(String message, Throwable cause) {
    super(message, cause);
  }
}
