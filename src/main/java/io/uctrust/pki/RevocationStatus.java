package io.uctrust.pki;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What an OCSP responder said about one certificate, after {@link OcspChecker} verified the answer: good,
 * revoked (when and why), unknown to the responder, or that no responder could be asked (the certificate names
 * none and none is configured). The times are the response's own: {@code thisUpdate} when the status was known
 * to be correct, {@code nextUpdate} (null when the responder gives none) when newer information will be
 * available, {@code producedAt} when the responder signed it.
 *
 * <p>Not for: unverified answers (only {@link OcspChecker} makes these from responses it has checked), or CRL
 * results. A failed check is an {@link OcspException}, never a status.
 *
 * @param state what the responder said
 * @param responder the URL asked; null for {@link State#NO_RESPONDER}
 * @param revokedAt when the certificate was revoked; null unless {@link State#REVOKED}
 * @param reason why, when the responder says; null otherwise
 * @param thisUpdate null for {@link State#NO_RESPONDER}
 * @param nextUpdate null when the responder gives none
 * @param producedAt null for {@link State#NO_RESPONDER}
 */
public record RevocationStatus(State state, URI responder, Instant revokedAt, Reason reason, Instant thisUpdate,
    Instant nextUpdate, Instant producedAt) {

  /** The responder's verdict. */
  public enum State {
    /** Not revoked (RFC 6960: at least not revoked; the certificate may still be expired or never issued). */
    GOOD,
    /** Revoked: the next reconcile re-issues it. */
    REVOKED,
    /** The responder does not know the certificate (not its CA, or not in its database). */
    UNKNOWN,
    /** No responder to ask: the certificate has no OCSP URL in its AIA and none is configured. */
    NO_RESPONDER
  }

  /** RFC 5280 CRLReason: why a certificate was revoked. */
  public enum Reason {
    UNSPECIFIED(0, "unspecified"),
    KEY_COMPROMISE(1, "keyCompromise"),
    CA_COMPROMISE(2, "cACompromise"),
    AFFILIATION_CHANGED(3, "affiliationChanged"),
    SUPERSEDED(4, "superseded"),
    CESSATION_OF_OPERATION(5, "cessationOfOperation"),
    CERTIFICATE_HOLD(6, "certificateHold"),
    REMOVE_FROM_CRL(8, "removeFromCRL"),
    PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),
    AA_COMPROMISE(10, "aACompromise");

    private final int code;
    private final String word;

    Reason(int code, String word) {
      this.code = code;
      this.word = word;
    }

    /** The reason with RFC 5280 code {@code code}; null for a code RFC 5280 does not define (7 or above 10). */
    public static Reason of(int code) {
      for (Reason reason : values()) {
        if (reason.code == code) {
          return reason;
        }
      }
      return null;
    }

    /** The RFC 5280 code. */
    public int code() {
      return code;
    }

    /** RFC 5280's name, as openssl writes it: {@code keyCompromise}. */
    public String word() {
      return word;
    }
  }

  public RevocationStatus {
    Objects.requireNonNull(state, "state");
    if (state != State.NO_RESPONDER) {
      Objects.requireNonNull(responder, "responder");
      Objects.requireNonNull(thisUpdate, "thisUpdate");
      Objects.requireNonNull(producedAt, "producedAt");
    }
    if (state == State.REVOKED) {
      Objects.requireNonNull(revokedAt, "revokedAt");
    } else if (revokedAt != null || reason != null) {
      throw new IllegalArgumentException("only a revoked certificate has a revocation time and reason");
    }
  }

  /** The status of a certificate that names no OCSP responder when none is configured. */
  public static RevocationStatus noResponder() {
    return new RevocationStatus(State.NO_RESPONDER, null, null, null, null, null, null);
  }

  /** Whether the certificate is revoked. */
  public boolean revoked() {
    return state == State.REVOKED;
  }

  /** One line for people: {@code revoked at 2026-05-01T10:00:00Z (keyCompromise) according to http://...}. */
  public String describe() {
    return switch (state) {
      case GOOD -> "good according to " + responder;
      case REVOKED -> "revoked at " + revokedAt + (reason == null ? "" : " (" + reason.word() + ")")
          + " according to " + responder;
      case UNKNOWN -> "unknown to " + responder;
      case NO_RESPONDER -> "not checked: no OCSP responder (the certificate has no OCSP URL in its Authority "
          + "Information Access and none is configured)";
    };
  }
}
