package io.uctrust.issuance;

import java.util.Optional;

/**
 * Why {@link AcmeIssuer} got no certificate, in one line fit for an operator: the domain and challenge type when
 * the failure belongs to one, and the ACME server's problem detail, the DNS hook's exit code and first line of
 * error output, or the network failure. Never holds key material or key authorizations.
 *
 * <p>Not for: mistakes in the settings that are caught when they are made ({@link AcmeSettings} throws
 * {@link IllegalArgumentException} for those), or failures unrelated to ACME issuance.
 */
public final class AcmeIssuanceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String domain;
  private final String challenge;

  AcmeIssuanceException(String message, String domain, String challenge, Throwable cause) {
    super(message, cause);
    this.domain = domain;
    this.challenge = challenge;
  }

  AcmeIssuanceException(String message, Throwable cause) {
    this(message, null, null, cause);
  }

  /** The DNS name whose authorization failed; empty when the failure is not about one name. */
  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  /** The ACME challenge type ({@code http-01}, {@code dns-01}) that failed; empty when none was involved. */
  public Optional<String> challenge() {
    return Optional.ofNullable(challenge);
  }
}
