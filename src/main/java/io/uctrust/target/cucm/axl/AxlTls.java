package io.uctrust.target.cucm.axl;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      for (int i = 0; i < trust.size(); i++) {
        anchors.setCertificateEntry("anchor-" + i, trust.get(i));
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
      trustManagers.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context for AXL: " + e.getMessage(), e);
    }
  }
}
