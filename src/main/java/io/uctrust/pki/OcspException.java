package io.uctrust.pki;

/**
 * An OCSP check that produced no trustworthy answer: the responder was unreachable, answered with an HTTP error
 * or a non-successful OCSP status, sent something that is not an OCSP response, or sent a response that fails
 * verification (signature, signer authorisation, certificate, nonce, times). The message names the responder
 * and the certificate's subject.
 *
 * <p>Not for: a certificate without a responder ({@link RevocationStatus.State#NO_RESPONDER}) or a responder that
 * does not know the certificate ({@link RevocationStatus.State#UNKNOWN}); those are answers, not failures.
 */
public final class OcspException extends Exception {
  private static final long serialVersionUID = 1L;

  public OcspException(String message) {
    super(message);
  }

  public OcspException(String message, Throwable cause) {
    super(message, cause);
  }
}
