package io.uctrust.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client contexts that trust exactly the given certificates (PKIX path validation to one of them, host names
 * checked by the caller's HTTPS or mail client as usual): for the AXL publisher, an online CA, an internal ACME
 * server, an SMTP relay.
 *
 * <p>Not for: widening trust. The JDK's default trust is not added, and there is no "trust all" variant.
 */
public final class TlsTrust {
  private TlsTrust() {}

  /** A TLS context whose only trust anchors are {@code anchors}; none: every handshake fails as untrusted. */
  public static SSLContext trusting(Collection<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int n = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("anchor-" + n++, anchor);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      // an in-memory PKCS12 store and the JDK's PKIX and TLS always exist: this is a broken JDK, not bad input
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }
}
