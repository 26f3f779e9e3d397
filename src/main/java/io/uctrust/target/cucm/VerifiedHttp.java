package io.uctrust.target.cucm;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

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
    Objects.requireNonNull(tls, "tls");
    String disabled = System.getProperty("jdk.internal.httpclient.disableHostnameVerification");
    if (disabled != null && !disabled.equalsIgnoreCase("false")) {
      throw new IllegalStateException("the JVM property jdk.internal.httpclient.disableHostnameVerification is set; "
          + "uctrust does not talk to " + interfaceName + " without host name verification");
    }
    return HttpClient.newBuilder()
        .sslContext(tls)
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new CookieManager())
        .build();
  }
}
