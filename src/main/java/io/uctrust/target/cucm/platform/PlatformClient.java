package io.uctrust.target.cucm.platform;

import static io.uctrust.target.cucm.TransportFailure.find;
import static io.uctrust.target.cucm.TransportFailure.rootMessage;
import static io.uctrust.target.cucm.TransportFailure.tlsReason;

import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.BoundedBody;
import io.uctrust.target.cucm.BoundedExchange;
import io.uctrust.target.cucm.VerifiedHttp;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.axl.RequestPacer;
import io.uctrust.target.cucm.axl.Sleeper;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Talks to one node's platform certificate REST API ({@code https://<node>/platformcom/api/v1/certmgr/config/},
 * Unified CM, IM and Presence and Unity Connection 14 and later) with the JDK HTTP client: reads the
 * node's identities and trust stores, has the node generate a CSR, uploads trusted certificates and
 * CA-signed identities.
 *
 * <p>TLS is verified against the given trust bundle ({@link AxlTls#context}: the node's tomcat certificate
 * or the CA that signed it) with host name verification; there is no way to skip either. Credentials (the
 * OS platform administrator) go in a preemptive HTTP Basic header. Requests are paced (at most
 * {@link PlatformSettings#requestsPerSecond()} per second); HTTP 503 is retried with exponential backoff
 * (honouring {@code Retry-After}); nothing else is retried. Every failure is a {@link ClusterException}
 * whose message names the request and the node and never contains the password (text the node sends back
 * is scrubbed of it). Requests uctrust can tell the node would refuse are not sent
 * ({@link PlatformRequestRefused}). Field names live in {@link PlatformApi}; answers are read leniently.
 * Thread-safe.
 *
 * <p>A changed identity takes effect only after the service restarts (Cisco Tomcat for tomcat, and so
 * on); this client restarts nothing. Not for: deciding what to change (the planner does that), ordering
 * uploads across nodes, or other interfaces (AXL, service control, the CLI).
 */
public final class PlatformClient {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformClient.class);

  /** Description sent with a trust upload when the caller gives none. */
  public static final String DEFAULT_TRUST_DESCRIPTION = "uploaded by uctrust";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern SHA256_HEX = Pattern.compile("(?:[0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}");

  /** What a request is for: decides how its failures are explained. */
  private enum Purpose { SNAPSHOT, READ_IDENTITY, READ_TRUST, CSR, UPLOAD_TRUST, UPLOAD_IDENTITY, DELETE_TRUST,
    SELF_SIGNED }

  /** One request: method, resource (relative to the base), query, JSON body, the service it is about. */
  private record Call(Purpose purpose, String method, String resource, String query, byte[] body, String service,
      String certificateName) {
    String label() {
      return method + " " + resource + (service == null ? "" : " (" + service + ")");
    }
  }

  private final PlatformSettings settings;
  private final BasicCredentials credentials;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final RequestPacer pacer;
  private final String host;

  /** A client with real time. */
  public PlatformClient(PlatformSettings settings, BasicCredentials credentials, SSLContext tls) {
    this(settings, credentials, tls, Clock.systemUTC(), Sleeper.system());
  }

  /** A client whose pacing and backoff use {@code clock} and {@code sleeper} (tests, simulations). */
  public PlatformClient(PlatformSettings settings, BasicCredentials credentials, SSLContext tls, Clock clock,
      Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.pacer = new RequestPacer(settings.requestsPerSecond(), Objects.requireNonNull(clock, "clock"), sleeper);
    this.host = settings.hostAndPort();
    this.http = VerifiedHttp.client(tls, settings.connectTimeout(), "the platform API", settings.serverName());
  }

  public PlatformSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- reads

  /** The node's identities and trusted certificates ({@code GET snapshot/server}). */
  public PlatformSnapshot snapshot() throws ClusterException {
    Call call = new Call(Purpose.SNAPSHOT, "GET", PlatformApi.SNAPSHOT, null, null, null, null);
    JsonNode root = readJson(call);
    try {
      return PlatformResponses.snapshot(root);
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  /** The identity certificate of {@code service}, e.g. {@code tomcat} ({@code GET identity/certificate}). */
  public PlatformCertificate identity(String service) throws ClusterException {
    Call call = new Call(Purpose.READ_IDENTITY, "GET", PlatformApi.IDENTITY, serviceQuery(service), null, service,
        null);
    JsonNode root = readJson(call);
    try {
      return PlatformResponses.identity(root, service);
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  /**
   * The trusted certificates of {@code service}'s trust store: {@code tomcat} reads tomcat-trust
   * ({@code GET trust/certificate}).
   */
  public List<PlatformCertificate> trust(String service) throws ClusterException {
    Call call = new Call(Purpose.READ_TRUST, "GET", PlatformApi.TRUST, serviceQuery(service), null, service, null);
    JsonNode root = readJson(call);
    try {
      return PlatformResponses.trust(root, service);
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Has the node generate a key pair and CSR for {@code request.service()} ({@code POST csr}); returns the
   * PEM CSR. The node keeps the key: a new CSR replaces the pending one, so sign and upload against the
   * latest.
   */
  public String generateCsr(CsrRequest request) throws ClusterException {
    Objects.requireNonNull(request, "request");
    ObjectNode body = JSON.createObjectNode()
        .put(PlatformApi.REQ_SERVICE, request.service())
        .put(PlatformApi.REQ_DISTRIBUTION, request.distribution())
        .put(PlatformApi.REQ_COMMON_NAME, request.commonName())
        .put(PlatformApi.REQ_KEY_TYPE, request.keyType())
        .put(PlatformApi.REQ_KEY_LENGTH, request.keyLength())
        .put(PlatformApi.REQ_HASH_ALGORITHM, request.hashAlgorithm());
    ArrayNode altNames = body.putArray(PlatformApi.REQ_ALT_NAMES);
    request.altNames().forEach(altNames::add);
    Call call = new Call(Purpose.CSR, "POST", PlatformApi.CSR, null, JSON.writeValueAsBytes(body), request.service(),
        null);
    JsonNode root = readJson(call);
    try {
      return PlatformResponses.csr(root);
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  /**
   * Adds {@code pems} (one PEM certificate each) to the trust stores of {@code services} ({@code tomcat}
   * means tomcat-trust) with {@code description} ({@link #DEFAULT_TRUST_DESCRIPTION} when null)
   * ({@code POST trust/certificates}). Upload a CA chain here before the identity it signs.
   */
  public void uploadTrust(List<String> services, List<String> pems, String description) throws ClusterException {
    if (services == null || services.isEmpty() || services.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("a trust upload needs at least one service, none blank");
    }
    String stores = String.join(", ", services);
    if (pems == null || pems.isEmpty()) {
      throw new PlatformRequestRefused("the trust upload to " + stores + " was not sent: no certificates");
    }
    for (int i = 0; i < pems.size(); i++) {
      requireOnePemCertificate("the trust upload to " + stores, pems.get(i), i + 1);
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode serviceArray = body.putArray(PlatformApi.REQ_SERVICE);
    services.forEach(serviceArray::add);
    ArrayNode certificates = body.putArray(PlatformApi.REQ_CERTIFICATES);
    pems.forEach(certificates::add);
    body.put(PlatformApi.REQ_DESCRIPTION, description == null ? DEFAULT_TRUST_DESCRIPTION : description);
    exchange(new Call(Purpose.UPLOAD_TRUST, "POST", PlatformApi.TRUST_UPLOAD, null, JSON.writeValueAsBytes(body),
        stores, null));
  }

  /**
   * Installs a CA-signed identity for {@code service} ({@code POST identity/certificates}):
   * {@code chainLeafFirst} is the leaf, then the intermediates, then the root, each issued by the next
   * and the last self-signed; anything else is refused before sending. The node accepts the identity only
   * when the signing chain is already in the service's trust store ({@link #uploadTrust} first), and only
   * for the key of its latest CSR. The service must be restarted to use it.
   */
  public void uploadIdentity(String service, List<String> chainLeafFirst) throws ClusterException {
    requireService(service);
    IdentityChainCheck.leafFirst(service, chainLeafFirst);
    ObjectNode body = JSON.createObjectNode().put(PlatformApi.REQ_SERVICE, service);
    ArrayNode certificates = body.putArray(PlatformApi.REQ_CERTIFICATES);
    chainLeafFirst.forEach(certificates::add);
    exchange(new Call(Purpose.UPLOAD_IDENTITY, "POST", PlatformApi.IDENTITY_UPLOAD, null, JSON.writeValueAsBytes(body),
        service, null));
  }

  /**
   * Has the node generate a new key pair and self-signed identity for {@code request.service()} ({@code POST
   * identity/selfsigned}); returns the new certificate's PEM text. The service must be restarted to use it.
   *
   * <p><b>Not confirmed by the reference:</b> no published API regenerates a self-signed identity; the
   * request is uctrust's assumption ({@link PlatformApi#SELF_SIGNED}), served by uctrust's lab. A node that
   * answers 404 or 405 does not support it: regenerate in Cisco Unified OS Administration or with the CLI's
   * set cert regen.
   */
  public String regenerateSelfSigned(SelfSignedRequest request) throws ClusterException {
    Objects.requireNonNull(request, "request");
    ObjectNode body = JSON.createObjectNode()
        .put(PlatformApi.REQ_SERVICE, request.service())
        .put(PlatformApi.REQ_KEY_TYPE, request.keyType())
        .put(PlatformApi.REQ_KEY_LENGTH, request.keyLength())
        .put(PlatformApi.REQ_HASH_ALGORITHM, request.hashAlgorithm())
        .put(PlatformApi.REQ_COMMON_NAME, request.commonName());
    ArrayNode altNames = body.putArray(PlatformApi.REQ_ALT_NAMES);
    request.altNames().forEach(altNames::add);
    body.put(PlatformApi.REQ_VALIDITY, request.validityDays());
    Call call = new Call(Purpose.SELF_SIGNED, "POST", PlatformApi.SELF_SIGNED, null, JSON.writeValueAsBytes(body),
        request.service(), null);
    JsonNode root = readJson(call);
    try {
      return PlatformResponses.identity(root, request.service()).pem().strip();
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  /**
   * Removes one certificate from {@code service}'s trust store, named either as the node names it (the
   * {@link PlatformCertificate#name()} of a trust read) or by its SHA-256 fingerprint (64 hex digits,
   * colons allowed), which is looked up with {@link #trust} first. Returns false when no certificate
   * with that fingerprint is in the store (nothing sent), true when the node accepted the delete.
   *
   * <p><b>Not confirmed by the reference:</b> the reference lists no delete; uctrust assumes
   * {@code DELETE trust/certificate?service=<service>&certificateName=<name>} ({@link PlatformApi#TRUST_DELETE}).
   * A node that answers 404 or 405 does not support it: delete in Cisco Unified OS Administration or the
   * CLI instead.
   */
  public boolean deleteTrust(String service, String nameOrSha256Fingerprint) throws ClusterException {
    requireService(service);
    if (nameOrSha256Fingerprint == null || nameOrSha256Fingerprint.isBlank()) {
      throw new IllegalArgumentException("a trust delete needs the certificate's name or SHA-256 fingerprint");
    }
    String name = nameOrSha256Fingerprint.strip();
    if (SHA256_HEX.matcher(name).matches()) {
      String wanted = name.replace(":", "").toLowerCase(Locale.ROOT);
      PlatformCertificate match = null;
      for (PlatformCertificate entry : trust(service)) {
        if (entry.certificates().stream().anyMatch(c -> wanted.equals(sha256(c)))) {
          match = entry;
          break;
        }
      }
      if (match == null) {
        return false;
      }
      if (match.name() == null) {
        throw new ClusterException("cannot delete the certificate with SHA-256 " + wanted + " from " + service
            + "-trust at " + host + ": the node's trust read gives no name to address it by");
      }
      name = match.name();
    }
    String query = serviceQuery(service) + "&" + PlatformApi.DELETE_NAME_QUERY + "=" + encode(name);
    exchange(new Call(Purpose.DELETE_TRUST, "DELETE", PlatformApi.TRUST_DELETE, query, null, service, name));
    return true;
  }

  // ---------------------------------------------------------------- the exchange

  private JsonNode readJson(Call call) throws ClusterException {
    byte[] body = exchange(call);
    try {
      return PlatformResponses.parse(body);
    } catch (PlatformResponses.Unexpected e) {
      throw unexpected(call, e);
    }
  }

  /** Sends {@code call}, retrying HTTP 503; returns the body of a 2xx answer. */
  private byte[] exchange(Call call) throws ClusterException {
    Duration backoff = settings.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      pace(call);
      long started = System.nanoTime();
      HttpResponse<byte[]> response = send(call);
      int status = response.statusCode();
      LOG.debug("platform API {} at {}: HTTP {} in {} ms (attempt {})", call.label(), host, status,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempt);
      if (status >= 200 && status < 300) {
        return response.body() == null ? new byte[0] : response.body();
      }
      if (status != 503) {
        throw statusFailure(call, status, response);
      }
      if (attempt >= settings.maxAttempts()) {
        throw new ClusterException("platform API " + call.label() + " at " + host + " is unavailable (HTTP 503): gave "
            + "up after " + attempt + " attempts" + nodeSays(response.body()) + ". Try again later, or lower the "
            + "platform API requests per second");
      }
      Duration wait = retryAfter(response, backoff);
      LOG.debug("platform API {} at {} unavailable (HTTP 503); retrying in {}", call.label(), host, wait);
      backOff(wait, call);
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }
  }

  private HttpResponse<byte[]> send(Call call) throws ClusterException {
    URI uri = settings.base().resolve(call.resource() + (call.query() == null ? "" : "?" + call.query()));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .header("Authorization", credentials.basicAuthorization());
    if (call.body() == null) {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    }
    return BoundedExchange.send(http, request.build(), settings.maxResponseBytes(), settings.requestTimeout(),
        "platform API " + call.label() + " at " + host, noAnswer(call), cause -> transportFailure(call, cause));
  }

  private ClusterException statusFailure(Call call, int status, HttpResponse<byte[]> response) {
    String prefix = "platform API " + call.label() + " at " + host + " answered HTTP " + status;
    String says = nodeSays(response.body());
    if (status == 400 && call.purpose() == Purpose.UPLOAD_IDENTITY) {
      return new ClusterException(prefix + ": the node rejects the identity: upload the signing CA chain to "
          + call.service() + "-trust first (and upload against the node's latest CSR for " + call.service() + ")"
          + says);
    }
    return switch (status) {
      case 400 -> new ClusterException(prefix + ": the node refused the request" + says);
      case 401 -> new ClusterException("platform API authentication failed for user " + credentials.username() + " at "
          + host + " (HTTP 401): check the OS platform administrator's password, and that the account is not locked "
          + "or expired");
      case 403 -> new ClusterException("platform API refused user " + credentials.username() + " at " + host
          + " (HTTP 403) for " + call.label() + ": use the OS platform administrator account" + says);
      case 404 -> new ClusterException(prefix + ": " + notFound(call) + says);
      case 405 -> new ClusterException(prefix + ": the node does not support this request" + (call.purpose()
          == Purpose.DELETE_TRUST ? deleteNotConfirmed() : call.purpose() == Purpose.SELF_SIGNED ? selfSignedNotConfirmed()
          : " (the platform certificate API needs release 14 or later)") + says);
      default -> status >= 500
          ? new ClusterException(prefix + ": the request failed on the node" + says)
          : status >= 300 && status < 400
              ? new ClusterException(prefix + ": a redirect" + response.headers().firstValue("Location")
                  .map(l -> " to " + redirectTarget(l)).orElse("") + "; the platform API does not redirect, check "
                  + "the base " + settings.base())
              : new ClusterException(prefix + says);
    };
  }

  private String notFound(Call call) {
    String noApi = "the node has no platform certificate API at " + settings.base().getRawPath()
        + " (it needs Unified CM, IM and Presence or Unity Connection 14 or later)";
    return switch (call.purpose()) {
      case READ_IDENTITY -> "no identity for service " + call.service() + ", or " + noApi;
      case READ_TRUST -> "no trust store for service " + call.service() + ", or " + noApi;
      case DELETE_TRUST -> "no trusted certificate " + call.certificateName() + " in " + call.service() + "-trust, or "
          + "the node does not support deleting it through the API" + deleteNotConfirmed();
      case SELF_SIGNED -> "the node does not support regenerating a self-signed identity through the API"
          + selfSignedNotConfirmed();
      default -> noApi;
    };
  }

  private static String selfSignedNotConfirmed() {
    return " (uctrust's regenerate request is an assumption, not confirmed by Cisco: regenerate the certificate in "
        + "Cisco Unified OS Administration or with the CLI's set cert regen)";
  }

  private static String deleteNotConfirmed() {
    return " (uctrust's trust-delete request is an assumption, not confirmed by Cisco: delete the certificate in "
        + "Cisco Unified OS Administration or with the CLI's set cert delete)";
  }

  private static String redirectTarget(String location) {
    int query = location.indexOf('?');
    return query < 0 ? location : location.substring(0, query);
  }

  private ClusterException transportFailure(Call call, Throwable cause) {
    if (find(cause, BoundedBody.TooLarge.class) != null) {
      return new ClusterException("platform API " + call.label() + " at " + host + " sent a response larger than "
          + settings.maxResponseBytes() + " bytes; refused", cause);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new ClusterException("cannot connect to the platform API at " + host + " for " + call.label()
          + ": no connection within " + seconds(settings.connectTimeout()), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new ClusterException(noAnswer(call), cause);
    }
    if (find(cause, SSLException.class) != null) {
      return new ClusterException("TLS verification of the platform API at " + host + " failed for " + call.label()
          + ": " + tlsReason(cause, settings.verifiedName(), "the trust bundle") + ". Put the node's tomcat certificate (or the CA that signed it) in the trust "
          + "bundle and connect by a name the certificate carries; uctrust never skips verification", cause);
    }
    if (find(cause, ConnectException.class) != null) {
      return new ClusterException("cannot connect to the platform API at " + host + " for " + call.label()
          + ": connection refused or host unreachable", cause);
    }
    return new ClusterException("platform API " + call.label() + " at " + host + " failed: "
        + credentials.redact(rootMessage(cause)), cause);
  }

  private String noAnswer(Call call) {
    return "platform API " + call.label() + " at " + host + " did not answer within "
        + seconds(settings.requestTimeout());
  }

  private ClusterException unexpected(Call call, PlatformResponses.Unexpected e) {
    return new ClusterException("platform API " + call.label() + " at " + host + " answered with an unexpected "
        + "response: " + credentials.redact(e.getMessage()), e);
  }

  /** {@code " (the node says: ...)"} with the node's explanation, scrubbed of the password; or empty. */
  private String nodeSays(byte[] body) {
    String message = PlatformResponses.errorMessage(body);
    return message == null ? "" : " (the node says: " + credentials.redact(message) + ")";
  }

  private Duration retryAfter(HttpResponse<byte[]> response, Duration backoff) {
    Duration wait = backoff;
    String header = response.headers().firstValue("Retry-After").orElse("").strip();
    if (header.matches("\\d{1,6}")) {
      Duration asked = Duration.ofSeconds(Long.parseLong(header));
      wait = asked.compareTo(wait) > 0 ? asked : wait;
    }
    return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
  }

  private void pace(Call call) throws ClusterException {
    try {
      pacer.awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while pacing platform API " + call.label() + " at " + host, e);
    }
  }

  private void backOff(Duration duration, Call call) throws ClusterException {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while waiting to retry platform API " + call.label() + " at " + host, e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void requireService(String service) {
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("a service name is required (e.g. tomcat)");
    }
  }

  private static String serviceQuery(String service) {
    requireService(service);
    return PlatformApi.SERVICE_QUERY + "=" + encode(service);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void requireOnePemCertificate(String what, String pem, int position) throws PlatformRequestRefused {
    String refused = what + " was not sent: entry " + position;
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new PlatformRequestRefused(refused + " is not a PEM certificate");
    }
    int count;
    try {
      count = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).size();
    } catch (CertificateException e) {
      throw new PlatformRequestRefused(refused + " is not a readable PEM certificate (" + e.getMessage() + ")", e);
    }
    if (count != 1) {
      throw new PlatformRequestRefused(refused + " holds " + count + " certificates; give one certificate per entry");
    }
  }

  private static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot compute a SHA-256 fingerprint: " + e.getMessage(), e);
    }
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
