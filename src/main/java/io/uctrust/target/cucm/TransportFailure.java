package io.uctrust.target.cucm;

import java.security.SignatureException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Explains, in an administrator's words, why an HTTPS exchange with a cluster node failed: the TLS
 * verification reasons (expired, unknown issuer, regenerated certificate, wrong name) and the root cause of
 * other failures. Shared by every client of the real-cluster adapter.
 *
 * <p>Not for: deciding whether to retry (each client knows which of its requests are safe to repeat).
 */
public final class TransportFailure {
  private TransportFailure() {}

  /**
   * Why TLS verification of {@code host} failed; {@code bundle} names the trust the client used, such as
   * "the AXL trust bundle".
   */
  public static String tlsReason(Throwable cause, String host, String bundle) {
    if (find(cause, CertificateExpiredException.class) != null
        || find(cause, CertificateNotYetValidException.class) != null) {
      return "the server's certificate is expired or not yet valid";
    }
    String root = rootMessage(cause);
    if (find(cause, CertPathBuilderException.class) != null || root.contains("certification path")) {
      return "the server's certificate is not issued by a certificate in " + bundle;
    }
    if (find(cause, SignatureException.class) != null || find(cause, CertPathValidatorException.class) != null
        || root.contains("Signature does not match") || root.contains("signature check failed")) {
      return "the server's certificate is not issued by a certificate in " + bundle + " (a trusted certificate has the "
          + "same subject name but another key: was the certificate regenerated?)";
    }
    if (root.contains("No subject alternative") || root.contains("No name matching")) {
      return "the server's certificate does not name " + host + " (" + root + ")";
    }
    return root;
  }

  /** The first throwable of {@code type} in {@code error}'s cause chain, or null. */
  public static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The message of the deepest cause, or its class name when it has none. */
  public static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
