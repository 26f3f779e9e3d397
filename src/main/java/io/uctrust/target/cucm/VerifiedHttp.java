package io.uctrust.target.cucm;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Builds the JDK HTTP client every real-cluster client uses: TLS with the given context (verified against
 * a trust bundle, see {@code AxlTls}), host name verification that cannot be switched off, HTTP/1.1, no
 * redirects, and a session cookie so a node is not asked to log in on every request.
 *
 * <p>Not for: any peer outside a cluster's management interfaces, or a client without verification: none
 * can be built here.
 */
public final class VerifiedHttp {
  private VerifiedHttp() {}

  /**
   * A client for {@code interfaceName} (named in the refusal message); refuses to build one when the JVM
   * has been told to skip host name verification.
   */
  public static HttpClient client(SSLContext tls, Duration connectTimeout, String interfaceName) {
    return client(tls, connectTimeout, interfaceName, null);
  }

  /**
   * A client for {@code interfaceName} that sends {@code serverName} as the TLS server name (SNI) and so
   * verifies the certificate against it, whatever host the URI names; null behaves as
   * {@link #client(SSLContext, Duration, String)}. For nodes reached by address while their certificates
   * carry only their DNS names (the served lab on 127.0.0.1, a node without DNS). The JDK client keeps the
   * configured server name only for IP-literal URIs (for a DNS host it sends the host), and its HTTPS
   * identification then checks the certificate against the SNI name, so a wrong name fails the handshake.
   */
  public static HttpClient client(SSLContext tls, Duration connectTimeout, String interfaceName, String serverName) {
    Objects.requireNonNull(tls, "tls");
    String disabled = System.getProperty("jdk.internal.httpclient.disableHostnameVerification");
    if (disabled != null && !disabled.equalsIgnoreCase("false")) {
      throw new IllegalStateException("the JVM property jdk.internal.httpclient.disableHostnameVerification is set; "
          + "uctrust does not talk to " + interfaceName + " without host name verification");
    }
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (serverName != null) {
      // start from the context's defaults: parameters left null would otherwise mean "JDK defaults" only by accident
      SSLParameters parameters = tls.getDefaultSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      builder.sslParameters(parameters);
    }
    return builder
        .sslContext(tls)
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new CookieManager())
        .build();
  }
}
