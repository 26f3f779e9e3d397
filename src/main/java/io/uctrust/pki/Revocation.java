package io.uctrust.pki;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate known to be revoked, as remembered after a verified OCSP answer said so: which certificate
 * (SHA-256 of its DER encoding, lower-case hex), when it was revoked and why (null when the responder gave no
 * reason), which responder said so, and when uctrust asked. The planner re-issues an identity it names.
 *
 * <p>Not for: unverified or indirect knowledge (only a {@link RevocationStatus} of state REVOKED, which {@link
 * OcspChecker} verified, makes one), or certificates that are merely expired or unknown to a responder.
 */
public record Revocation(String sha256, Instant revokedAt, RevocationStatus.Reason reason, URI responder,
    Instant checkedAt) {

  public Revocation {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(responder, "responder");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  /**
   * The revocation of the certificate with fingerprint {@code sha256} that {@code status} reports, checked at
   * {@code checkedAt}.
   *
   * @throws IllegalArgumentException when {@code status} does not say revoked
   */
  public static Revocation of(String sha256, RevocationStatus status, Instant checkedAt) {
    if (!status.revoked()) {
      throw new IllegalArgumentException("not revoked: " + status.describe());
    }
    return new Revocation(sha256, status.revokedAt(), status.reason(), status.responder(), checkedAt);
  }

  /** For a plan's reason: {@code revoked (keyCompromise at 2026-05-01T10:00:00Z, OCSP responder http://...)}. */
  public String describe() {
    return "revoked (" + (reason == null ? "" : reason.word() + " ") + "at " + revokedAt + ", OCSP responder "
        + responder + ")";
  }
}
