package io.uctrust.diff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A literal secret value found in a secret field of a desired-state tree, standing in for the value. Two
 * stand-ins are equal when the literals were, so that a changed literal still shows as a change.
 *
 * <p>Not for: display of anything but {@code (redacted)}, or storage: the digest of a short password can be
 * guessed, so it lives only in memory for the comparison and is never rendered.
 */
public final class RedactedSecret {
  /** How a redacted value is shown in every output format. */
  public static final String SHOWN = "(redacted)";

  private final byte[] digest;

  private RedactedSecret(byte[] digest) {
    this.digest = digest;
  }

  /** Replaces {@code literal}, keeping only what equality needs. */
  public static RedactedSecret of(String literal) {
    try {
      return new RedactedSecret(MessageDigest.getInstance("SHA-256").digest(literal.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RedactedSecret r && MessageDigest.isEqual(digest, r.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return SHOWN;
  }
}
