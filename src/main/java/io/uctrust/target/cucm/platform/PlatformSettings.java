package io.uctrust.target.cucm.platform;

import static io.uctrust.target.cucm.SettingBounds.httpsWithoutUserInfo;
import static io.uctrust.target.cucm.SettingBounds.positive;
import static io.uctrust.target.cucm.SettingBounds.atLeastOne;
import static io.uctrust.target.cucm.SettingBounds.responseLimit;

import io.uctrust.target.cucm.SettingBounds;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PlatformClient} talks to one node's platform certificate API: the base URI
 * ({@code https://<node>/platformcom/api/v1/certmgr/config/}), timeouts, pacing, retry of HTTP 503, and
 * the largest response it reads. Defaults ({@link #forNode}): port 443, connect 10 s, request 60 s, 2
 * requests per second, 4 attempts with backoff from 1 s doubling up to 30 s, responses up to 16 MiB.
 *
 * <p>{@code serverName} (null by default) is the node's DNS name, sent as the TLS server name and verified
 * against the node's certificate when the base names the node by IP address ({@link #withServerName}).
 *
 * <p>Only {@code https} bases without user information, query or fragment are accepted. Not for:
 * credentials or trust (given to the client separately), or more than one node (one client per node).
 */
public record PlatformSettings(URI base, Duration connectTimeout, Duration requestTimeout, int requestsPerSecond,
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxResponseBytes, String serverName) {

  public static final int DEFAULT_PORT = 443;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

  public PlatformSettings {
    Objects.requireNonNull(base, "base");
    httpsWithoutUserInfo(base, "the platform API base");
    if (base.getRawQuery() != null || base.getRawFragment() != null) {
      throw new IllegalArgumentException("the platform API base must not have a query or fragment (got " + base + ")");
    }
    String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    if (!path.endsWith("/")) {
      base = URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/");
    }
    positive(connectTimeout, "connect timeout");
    positive(requestTimeout, "request timeout");
    positive(initialBackoff, "initial backoff");
    positive(maxBackoff, "maximum backoff");
    atLeastOne(requestsPerSecond, "requests per second");
    atLeastOne(maxAttempts, "attempts");
    responseLimit(maxResponseBytes);
    serverName = SettingBounds.serverName(serverName);
  }

  /** Settings without a separate TLS server name (the base's host is verified). */
  public PlatformSettings(URI base, Duration connectTimeout, Duration requestTimeout, int requestsPerSecond,
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxResponseBytes) {
    this(base, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts, initialBackoff, maxBackoff,
        maxResponseBytes, null);
  }

  /** Defaults for {@code https://<host>/platformcom/api/v1/certmgr/config/} (port 443). */
  public static PlatformSettings forNode(String host) {
    return forNode(host, DEFAULT_PORT);
  }

  /** Defaults for {@code https://<host>:<port>/platformcom/api/v1/certmgr/config/}. */
  public static PlatformSettings forNode(String host, int port) {
    Objects.requireNonNull(host, "host");
    String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    String authority = port == DEFAULT_PORT ? literal : literal + ":" + port;
    return forBase(URI.create("https://" + authority + PlatformApi.BASE_PATH));
  }

  /** Defaults for any base (tests use {@code https://127.0.0.1:<port>/platformcom/api/v1/certmgr/config/}). */
  public static PlatformSettings forBase(URI base) {
    return new PlatformSettings(base, Duration.ofSeconds(10), Duration.ofSeconds(60), 2, 4, Duration.ofSeconds(1),
        Duration.ofSeconds(30), DEFAULT_MAX_RESPONSE_BYTES);
  }

  public PlatformSettings withTimeouts(Duration connect, Duration request) {
    return new PlatformSettings(base, connect, request, requestsPerSecond, maxAttempts, initialBackoff, maxBackoff,
        maxResponseBytes, serverName);
  }

  public PlatformSettings withRequestsPerSecond(int perSecond) {
    return new PlatformSettings(base, connectTimeout, requestTimeout, perSecond, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, serverName);
  }

  public PlatformSettings withRetry(int attempts, Duration initial, Duration max) {
    return new PlatformSettings(base, connectTimeout, requestTimeout, requestsPerSecond, attempts, initial, max,
        maxResponseBytes, serverName);
  }

  public PlatformSettings withMaxResponseBytes(long bytes) {
    return new PlatformSettings(base, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts, initialBackoff,
        maxBackoff, bytes, serverName);
  }

  /**
   * Sends {@code name} (a DNS name, or null for none) as the TLS server name and verifies the node's
   * certificate against it: for a base that names the node by IP address.
   */
  public PlatformSettings withServerName(String name) {
    return new PlatformSettings(base, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, name);
  }

  /** {@code host:port} of the node, for messages. */
  public String hostAndPort() {
    int port = base.getPort() < 0 ? DEFAULT_PORT : base.getPort();
    return (serverName == null ? base.getHost() : serverName + " (" + base.getHost() + ")") + ":" + port;
  }

  /** The name certificates are verified against: the server name when set, else the base's host. */
  public String verifiedName() {
    return serverName == null ? base.getHost() : serverName;
  }
}
