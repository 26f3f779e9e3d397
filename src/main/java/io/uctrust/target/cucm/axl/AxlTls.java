package io.uctrust.target.cucm.axl;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The TLS context for AXL: PKIX validation with exactly the given trust anchors (the publisher's tomcat
 * certificate, or the CA that signed it), nothing from the JDK's default trust store. Host name
 * verification is not done here: the JDK HTTP client does it for every HTTPS connection, and
 * {@link AxlClient} keeps it on.
 *
 * <p>Not for: any "trust all" or "skip verification" mode; there is none, and there must not be one.
 */
public final class AxlTls {
  private AxlTls() {}

  /** An SSL context that trusts exactly {@code trust} (at least one certificate). */
  public static SSLContext context(List<X509Certificate> trust) {
    if (trust == null || trust.isEmpty()) {
      throw new IllegalArgumentException("the AXL trust bundle is empty: give the publisher's tomcat certificate "
          + "or the CA that signed it");
    }
    return io.uctrust.pki.TlsTrust.trusting(trust);
  }
}
