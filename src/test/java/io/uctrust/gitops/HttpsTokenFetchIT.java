package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.uctrust.desired.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over https with a token: a real {@code git http-backend} (CGI) behind the JDK's HTTPS server on
 * loopback, which demands HTTP Basic with a given token, as GitHub and GitLab do. The server's certificate comes
 * from {@code keytool}; this JVM (each IT runs in its own) trusts only it, so TLS is verified as usual.
 */
class HttpsTokenFetchIT {

  private static final String TOKEN = "glpat-0123456789abcdef";
  private static final String PASSWORD = "changeit";

  @TempDir Path temp;

  private GitRunner git;
  private Path served;
  private HttpsServer server;
  private final List<String> users = new CopyOnWriteArrayList<>();
  private String sha;

  @BeforeEach
  void gitOverHttps() throws Exception {
    git = new GitRunner(temp.resolve("home"));
    served = Files.createDirectories(temp.resolve("served"));
    Path bare = git.bare(served.resolve("desired.git"));
    Path work = git.cloneOf(bare, temp.resolve("work"));
    sha = git.commit(work, "over https", Map.of("capf.yaml", "kind: Capf\n"));
    git.git(work, "push", "-q", "origin", "HEAD");
    KeyStore keys = keyStore(temp.resolve("server.p12"));
    trustOnly(keys);
    server = serve(keys);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String url(String user) {
    return "https://" + (user == null ? "" : user + "@") + "127.0.0.1:" + server.getAddress().getPort() + "/desired.git";
  }

  private Checkout fetch(GitSource source, Map<String, String> environment) throws GitSourceException {
    return new RepositoryFetcher(temp.resolve("cache"), environment).fetch(source);
  }

  private static GitSource.Credentials token(String reference) {
    return new GitSource.Credentials(SecretRef.parse(reference), null, null);
  }

  @Test
  void aTokenFromTheEnvironmentIsSentAsThePasswordOfXAccessToken() throws Exception {
    try (Checkout checkout = fetch(GitSource.of(url(null)).reachedWith(token("env:REPO_TOKEN")), Map.of("REPO_TOKEN", TOKEN))) {
      assertThat(checkout.revision().commit()).isEqualTo(sha);
      assertThat(checkout.folder().resolve("capf.yaml")).hasContent("kind: Capf");
    }
    assertThat(users).isNotEmpty().containsOnly("x-access-token");
  }

  @Test
  void aTokenFromAFileGoesWithTheUrlsUserName() throws Exception {
    Path file = Files.writeString(temp.resolve("token"), TOKEN + "\n");

    try (Checkout checkout = fetch(GitSource.of(url("deploy")).reachedWith(token("file:" + file)), Map.of())) {
      assertThat(checkout.revision().commit()).isEqualTo(sha);
    }
    assertThat(users).containsOnly("deploy");
  }

  @Test
  void aWrongOrMissingTokenIsAnAuthenticationFailureThatNeverShowsTheToken() {
    String wrong = "glpat-wrong-token-value";

    assertThatThrownBy(() -> fetch(GitSource.of(url(null)).reachedWith(token("env:REPO_TOKEN")), Map.of("REPO_TOKEN", wrong)))
        .isInstanceOf(GitSourceException.class).hasMessageStartingWith("authentication to " + url(null) + " failed")
        .hasMessageNotContaining(wrong);
    assertThatThrownBy(() -> fetch(GitSource.of(url(null)), Map.of())).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("authentication to " + url(null) + " failed");
  }

  @Test
  void aServerWithAnUntrustedCertificateIsRefused() throws Exception {
    server.stop(0);
    server = serve(keyStore(temp.resolve("other.p12")));

    assertThatThrownBy(() -> fetch(GitSource.of(url(null)).reachedWith(token("env:REPO_TOKEN")), Map.of("REPO_TOKEN", TOKEN)))
        .isInstanceOf(GitSourceException.class).hasMessageStartingWith("cannot reach " + url(null) + ": its TLS certificate is not trusted")
        .hasMessageNotContaining(TOKEN);
    assertThat(users).isEmpty();
  }

  /** A new EC key and self-signed certificate for 127.0.0.1, made by keytool. */
  private static KeyStore keyStore(Path file) throws Exception {
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
        "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD)
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return keys;
  }

  /** Makes HTTPS in this JVM (which JGit uses through HttpsURLConnection) trust only {@code keys}' certificate. */
  private static void trustOnly(KeyStore keys) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", keys.getCertificate("server"));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
  }

  private HttpsServer serve(KeyStore keys) throws Exception {
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.setExecutor(Executors.newFixedThreadPool(2));
    https.createContext("/", this::backend);
    https.start();
    return https;
  }

  /** HTTP Basic with the token as password (any user name), then git http-backend as a CGI program. */
  private void backend(HttpExchange exchange) throws IOException {
    try (exchange) {
      String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
      if (user == null) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      users.add(user);
      ProcessBuilder cgi = new ProcessBuilder("/usr/lib/git-core/git-http-backend");
      git.environment(cgi.environment());
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", served.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
      env.put("REMOTE_USER", user);
      env.put("REMOTE_ADDR", "127.0.0.1");
      putIfPresent(env, "CONTENT_TYPE", exchange.getRequestHeaders().getFirst("Content-Type"));
      putIfPresent(env, "HTTP_CONTENT_ENCODING", exchange.getRequestHeaders().getFirst("Content-Encoding"));
      putIfPresent(env, "GIT_PROTOCOL", exchange.getRequestHeaders().getFirst("Git-Protocol"));
      Process process = cgi.redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream in = process.getOutputStream()) {
        exchange.getRequestBody().transferTo(in);
      }
      byte[] output = process.getInputStream().readAllBytes();
      int end = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      int skip = 4;
      if (end < 0) {
        end = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
        skip = 2;
      }
      int status = 200;
      for (String header : new String(output, 0, end, StandardCharsets.US_ASCII).split("\r?\n")) {
        String name = header.substring(0, header.indexOf(':'));
        String value = header.substring(header.indexOf(':') + 1).strip();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(output, end + skip, output.length - end - skip);
      exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
      if (body.size() > 0) {
        exchange.getResponseBody().write(body.toByteArray());
      }
    }
  }

  /** The user name of a Basic authorization carrying the token, or null. */
  private static String user(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    return colon > 0 && decoded.substring(colon + 1).equals(TOKEN) ? decoded.substring(0, colon) : null;
  }

  private static void putIfPresent(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
