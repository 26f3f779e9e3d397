package io.uctrust.target.cucm.platform;

import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * One certificate as a node's platform certificate API reports it: the service it belongs to (for an
 * identity the service such as {@code tomcat} or {@code CallManager}; for a trusted certificate the
 * service whose trust store holds it, as the API addresses it: {@code tomcat} for tomcat-trust), the PEM
 * text exactly as sent, and, when the node gives them, its name for the certificate (the file name in the
 * trust store) and the description given at upload.
 *
 * <p>Not for: deciding whether the certificate is valid or wanted (the planner and the pki package do
 * that), or certificates uctrust is about to send (those are plain PEM strings).
 */
public record PlatformCertificate(String service, String pem, String name, String description) {

  public PlatformCertificate {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(pem, "pem");
    name = blankToNull(name);
    description = blankToNull(description);
  }

  /** The certificates in {@link #pem()} (usually one); empty when the text holds none the JDK can read. */
  public List<X509Certificate> certificates() {
    return Pem.certificates(pem);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
