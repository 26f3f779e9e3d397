package io.uctrust.issuance;

import io.uctrust.pki.Pem;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider for {@code https://} directory URLs, except that its HTTP client trusts only the
 * CA certificates of a PEM bundle: acme4j's supported way ({@code AcmeProvider#createHttpClient}) to talk to an
 * ACME server whose TLS certificate is not in the JDK's trust store.
 *
 * <p>Not for: servers the JDK already trusts (use acme4j's own providers), or turning off certificate or host
 * name checks; both stay on.
 */
final class ServerTrustProvider extends GenericAcmeProvider {
  private final SSLContext ssl;

  private ServerTrustProvider(SSLContext ssl) {
    this.ssl = ssl;
  }

  /**
   * A provider trusting the certificates in {@code bundle}.
   *
   * @throws IOException when the file cannot be read or holds no certificate
   */
  static ServerTrustProvider trusting(Path bundle) throws IOException {
    List<X509Certificate> certificates;
    try {
      certificates = Pem.certificates(Files.readString(bundle));
    } catch (NoSuchFileException e) {
      throw new IOException("the ACME server trust file " + bundle + " does not exist", e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("the ACME server trust file " + bundle + " holds no PEM certificate");
    }
    return new ServerTrustProvider(io.uctrust.pki.TlsTrust.trusting(certificates));
  }

  /** The same client acme4j builds by default (redirects, timeout, proxy, authenticator), with our trust. */
  @Override
  public HttpClient createHttpClient(NetworkSettings settings) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(settings.getTimeout())
        .proxy(settings.getProxySelector())
        .sslContext(ssl);
    if (settings.getAuthenticator() != null) {
      builder.authenticator(settings.getAuthenticator());
    }
    return builder.build();
  }
}
