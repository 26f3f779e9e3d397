package io.uctrust.cluster;

import io.uctrust.desired.SecretRef;

/**
 * Turns secret references into values at the moment an operation needs them. Values must never be
 * logged, stored in plans or put in exception messages.
 */
@FunctionalInterface
public interface SecretResolver {
  /**
   * The value of {@code ref} for {@code subject} (a phone name, a parameter name): {@code generate-unique}
   * yields a fresh value per subject. Throws with a message naming the reference, never a value.
   */
  String resolve(SecretRef ref, String subject) throws ClusterException;
}
